// Which candidate fixes are worth recording: not "no fix", a usable HDOP, a plausible date, time moving forward,
// no teleporting. A taxi that sends a jump makes the server draw a spike on the map and a false harsh-driving event.
#pragma once
#include <cstdint>

#include "fix-assembler.h"

namespace tw {

enum class FixVerdict : uint8_t { accepted, no_fix, no_time, poor_hdop, implausible_time, not_newer, too_soon, jump };
const char* to_string(FixVerdict verdict);

struct FixFilterSettings {
  uint16_t max_hdop_c = 500;           // HDOP 5.0
  uint32_t min_interval_ms = 1000;     // at most one fix per second is kept
  // The server drops a fix implying more than 250 km/h from the last one it kept, within 30 s of it
  // (edge/domain/ingest/screen-fixes.ts). The unit applies the same rule a little stricter, so no fix it sends is
  // dropped there: its last kept fix is the server's too.
  uint32_t max_speed_kmh = 240;        // a move implying more than this is a jump
  uint32_t jump_window_ms = 30000;     // after this long without a kept fix, the next is followed wherever it is
  int64_t min_utc_ms = 1704067200000;  // 2024-01-01: anything earlier is a receiver without a real date yet
};

class FixFilter {
 public:
  explicit FixFilter(const FixFilterSettings& settings = FixFilterSettings()) : settings_(settings) {}
  FixVerdict check(const FixCandidate& candidate);
  /** The last accepted fix (valid once `has_last()`). */
  const Fix& last() const { return last_; }
  bool has_last() const { return has_last_; }

 private:
  FixFilterSettings settings_;
  Fix last_;
  bool has_last_ = false;
};

/** Great-circle distance in metres (haversine; fine to a few metres at city scale). */
double distance_m(int32_t lat1_e7, int32_t lon1_e7, int32_t lat2_e7, int32_t lon2_e7);

}  // namespace tw
