// Receivers report one epoch (one instant) in several sentences: RMC (position, date, speed), GGA (fix quality,
// HDOP, altitude) and VTG (speed, course, no time). This joins those with the same time into one candidate fix.
#pragma once
#include <cstdint>

#include "fix.h"
#include "nmea.h"

namespace tw {

struct FixCandidate {
  Fix fix;
  bool has_position = false;
  bool has_date = false;
  bool valid = false;  // no sentence of the epoch said "no fix"
};

class FixAssembler {
 public:
  /** Each returns true when an epoch is complete (RMC and GGA seen, or a newer epoch began); `out` then holds it. */
  bool on_rmc(const RmcData& rmc, FixCandidate& out);
  bool on_gga(const GgaData& gga, FixCandidate& out);
  void on_vtg(const VtgData& vtg);
  /** The epoch in progress, if it has anything; for the end of a log or a receiver that sends only one kind. */
  bool flush(FixCandidate& out);

 private:
  bool start(int32_t time_of_day_ms, FixCandidate& out);
  bool complete(FixCandidate& out);
  void build(FixCandidate& out) const;

  bool open_ = false;
  int32_t time_ = kNoTime;
  bool have_rmc_ = false, have_gga_ = false, have_vtg_ = false;
  RmcData rmc_;
  GgaData gga_;
  VtgData vtg_;
  int32_t last_date_days_ = -1;
  int32_t last_date_time_ = kNoTime;  // time of day when last_date_days_ was seen, to roll over at midnight
};

}  // namespace tw
