// Recorded drives (shared/data/gps/normalized/*.csv: timestamp_utc,lat,lon,speed_mps) turned back into the NMEA a
// NEO-6M would have sent for them, moved in time to `start`, so the virtual device runs the same GPS path as a unit.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tw::host {

struct TrackPoint {
  int64_t utc_ms;
  double lat, lon;
  double speed_mps;  // negative when the recording has none
};

/** Throws std::runtime_error when the file cannot be read or has no points. */
std::vector<TrackPoint> load_normalized_track(const std::string& path);

/** RMC, VTG and GGA for one point, CRLF-terminated, with checksums; speed and course from the previous point when absent. */
std::string nmea_for_point(const TrackPoint& point, const TrackPoint* previous, int64_t shifted_utc_ms);

/** "$" + body + "*hh\r\n". */
std::string nmea_sentence(const std::string& body);

}  // namespace tw::host
