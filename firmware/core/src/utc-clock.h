// Wall-clock time on a unit without a battery-backed clock: taken from each accepted GPS fix (or, until the first
// fix, from the server's Date header) and carried forward on the monotonic clock.
#pragma once
#include <cstdint>

namespace tw {

class UtcClock {
 public:
  void sync_from_gps(int64_t utc_ms, uint64_t monotonic_ms) {
    utc_ms_ = utc_ms;
    at_ms_ = monotonic_ms;
    source_ = Source::gps;
  }
  /** Only until the GPS has spoken: the server's Date is whole seconds and arrives late. */
  void sync_from_server(int64_t utc_ms, uint64_t monotonic_ms) {
    if (source_ == Source::gps || utc_ms < 0) return;
    utc_ms_ = utc_ms;
    at_ms_ = monotonic_ms;
    source_ = Source::server;
  }
  bool known() const { return source_ != Source::none; }
  bool from_gps() const { return source_ == Source::gps; }
  int64_t now(uint64_t monotonic_ms) const { return utc_ms_ + static_cast<int64_t>(monotonic_ms - at_ms_); }

 private:
  enum class Source : uint8_t { none, server, gps };
  Source source_ = Source::none;
  int64_t utc_ms_ = 0;
  uint64_t at_ms_ = 0;
};

}  // namespace tw
