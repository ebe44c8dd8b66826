#include "track-nmea.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "civil-time.h"
#include "fix-filter.h"

namespace tw::host {

std::vector<TrackPoint> load_normalized_track(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read track " + path);
  std::vector<TrackPoint> points;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const size_t a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    int64_t ms;
    if (!parse_iso8601(line.c_str(), a, ms)) continue;
    TrackPoint p{ms, std::stod(line.substr(a + 1, b - a - 1)), std::stod(line.substr(b + 1, c - b - 1)), -1};
    if (c != std::string::npos && c + 1 < line.size()) p.speed_mps = std::stod(line.substr(c + 1));
    points.push_back(p);
  }
  if (points.empty()) throw std::runtime_error("no points in " + path);
  return points;
}

std::string nmea_sentence(const std::string& body) {
  unsigned sum = 0;
  for (char ch : body) sum ^= static_cast<unsigned char>(ch);
  char tail[8];
  std::snprintf(tail, sizeof tail, "*%02X\r\n", sum);
  return "$" + body + tail;
}

static std::string coordinate(double degrees, bool longitude) {
  const double magnitude = std::fabs(degrees);
  int whole = static_cast<int>(magnitude);
  double minutes = (magnitude - whole) * 60.0;
  if (minutes >= 59.999995) {
    whole++;
    minutes = 0;
  }
  char out[32];
  std::snprintf(out, sizeof out, longitude ? "%03d%08.5f,%c" : "%02d%08.5f,%c", whole, minutes,
                longitude ? (degrees < 0 ? 'W' : 'E') : (degrees < 0 ? 'S' : 'N'));
  return out;
}

std::string nmea_for_point(const TrackPoint& p, const TrackPoint* previous, int64_t utc_ms) {
  double speed_kmh = p.speed_mps >= 0 ? p.speed_mps * 3.6 : 0;
  double course = 0;
  if (previous) {
    const auto to_e7 = [](double d) { return static_cast<int32_t>(std::lround(d * 1e7)); };
    const double metres = distance_m(to_e7(previous->lat), to_e7(previous->lon), to_e7(p.lat), to_e7(p.lon));
    const double seconds = static_cast<double>(p.utc_ms - previous->utc_ms) / 1000.0;
    if (p.speed_mps < 0 && seconds > 0) speed_kmh = metres / seconds * 3.6;
    const double rad = 3.14159265358979323846 / 180;
    const double y = std::sin((p.lon - previous->lon) * rad) * std::cos(p.lat * rad);
    const double x = std::cos(previous->lat * rad) * std::sin(p.lat * rad) - std::sin(previous->lat * rad) * std::cos(p.lat * rad) * std::cos((p.lon - previous->lon) * rad);
    course = std::fmod(std::atan2(y, x) / rad + 360.0, 360.0);
  }
  char iso[32];
  format_iso8601(utc_ms, iso);
  // iso: YYYY-MM-DDTHH:MM:SS.mmmZ
  char time[16], date[8];
  std::snprintf(time, sizeof time, "%.2s%.2s%.2s.%.2s", iso + 11, iso + 14, iso + 17, iso + 20);
  std::snprintf(date, sizeof date, "%.2s%.2s%.2s", iso + 8, iso + 5, iso + 2);
  const std::string lat = coordinate(p.lat, false), lon = coordinate(p.lon, true);
  char buf[160];
  std::string out;
  std::snprintf(buf, sizeof buf, "GPRMC,%s,A,%s,%s,%.3f,%.2f,%s,,,A", time, lat.c_str(), lon.c_str(), speed_kmh / 1.852, course, date);
  out += nmea_sentence(buf);
  std::snprintf(buf, sizeof buf, "GPVTG,%.2f,T,,M,%.3f,N,%.3f,K,A", course, speed_kmh / 1.852, speed_kmh);
  out += nmea_sentence(buf);
  std::snprintf(buf, sizeof buf, "GPGGA,%s,%s,%s,1,08,0.90,520.0,M,47.4,M,,", time, lat.c_str(), lon.c_str());
  out += nmea_sentence(buf);
  return out;
}

}  // namespace tw::host
