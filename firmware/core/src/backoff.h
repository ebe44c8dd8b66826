// When to try again after a failure: exponential from 2 s to 5 min with jitter, so a fleet that lost the same
// cell tower does not come back in lockstep; a server's Retry-After is honoured (never earlier), with a little
// jitter on top for the same reason.
#pragma once
#include <cstdint>

#include "ports.h"

namespace tw {

struct BackoffSettings {
  uint32_t base_ms = 2000;
  uint32_t cap_ms = 300000;
  uint32_t max_retry_after_s = 3600;  // a Retry-After beyond this is taken as this (a misconfigured proxy)
};

class Backoff {
 public:
  explicit Backoff(const BackoffSettings& settings = BackoffSettings()) : settings_(settings) {}
  /** The wait before the next attempt after one more failure; `retry_after_s` < 0 when the server gave none. */
  uint32_t next_delay_ms(int32_t retry_after_s, Random& random);
  void reset() { failures_ = 0; }
  uint32_t failures() const { return failures_; }

 private:
  BackoffSettings settings_;
  uint32_t failures_ = 0;
};

}  // namespace tw
