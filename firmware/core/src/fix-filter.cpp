#include "fix-filter.h"

#include <cmath>

namespace tw {

const char* to_string(FixVerdict verdict) {
  switch (verdict) {
    case FixVerdict::accepted: return "accepted";
    case FixVerdict::no_fix: return "no_fix";
    case FixVerdict::no_time: return "no_time";
    case FixVerdict::poor_hdop: return "poor_hdop";
    case FixVerdict::implausible_time: return "implausible_time";
    case FixVerdict::not_newer: return "not_newer";
    case FixVerdict::too_soon: return "too_soon";
    case FixVerdict::jump: return "jump";
  }
  return "?";
}

double distance_m(int32_t lat1_e7, int32_t lon1_e7, int32_t lat2_e7, int32_t lon2_e7) {
  constexpr double kRad = 3.14159265358979323846 / 180.0 / 1e7;
  const double lat1 = lat1_e7 * kRad, lat2 = lat2_e7 * kRad;
  const double dlat = lat2 - lat1, dlon = (lon2_e7 - lon1_e7) * kRad;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1) * std::cos(lat2) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371008.8 * std::asin(std::sqrt(a < 1 ? a : 1));
}

static bool too_fast(const Fix& from, const Fix& to, uint32_t max_speed_kmh) {
  const double seconds = double(to.utc_ms - from.utc_ms) / 1000.0;
  const double metres = distance_m(from.lat_e7, from.lon_e7, to.lat_e7, to.lon_e7);
  // A few metres of noise between close fixes is not a jump, whatever speed it implies.
  return metres > 50 && metres > seconds * max_speed_kmh / 3.6;
}

FixVerdict FixFilter::check(const FixCandidate& c) {
  if (!c.valid || !c.has_position) return FixVerdict::no_fix;
  if (!c.has_date) return FixVerdict::no_time;
  if (c.fix.utc_ms < settings_.min_utc_ms) return FixVerdict::implausible_time;
  if (c.fix.hdop_c != kNoU16 && c.fix.hdop_c > settings_.max_hdop_c) return FixVerdict::poor_hdop;
  if (has_last_) {
    if (c.fix.utc_ms <= last_.utc_ms) return FixVerdict::not_newer;
    if (c.fix.utc_ms - last_.utc_ms < settings_.min_interval_ms) return FixVerdict::too_soon;
    // Within the window a jump is refused; past it the unit follows the new place (towed, switched on elsewhere,
    // or the last kept fix was the outlier), as the server does.
    const bool within_window = c.fix.utc_ms - last_.utc_ms <= int64_t(settings_.jump_window_ms);
    if (within_window && too_fast(last_, c.fix, settings_.max_speed_kmh)) return FixVerdict::jump;
  }
  last_ = c.fix;
  has_last_ = true;
  return FixVerdict::accepted;
}

}  // namespace tw
