#include "backoff.h"

namespace tw {

uint32_t Backoff::next_delay_ms(int32_t retry_after_s, Random& random) {
  failures_++;
  if (retry_after_s >= 0) {
    const uint64_t asked = uint64_t(retry_after_s < int32_t(settings_.max_retry_after_s) ? retry_after_s : settings_.max_retry_after_s) * 1000;
    // Up to +20 % (at most 30 s) after the time the server named.
    uint64_t spread = asked / 5 < 30000 ? asked / 5 : 30000;
    if (spread < 250) spread = 250;
    return uint32_t(asked + random.next_u32() % (spread + 1));
  }
  // "Equal jitter": half the exponential step fixed, half random — never zero, never in lockstep.
  uint64_t step = settings_.base_ms;
  for (uint32_t i = 1; i < failures_ && step < settings_.cap_ms; i++) step *= 2;
  if (step > settings_.cap_ms) step = settings_.cap_ms;
  return uint32_t(step / 2 + random.next_u32() % (step / 2 + 1));
}

}  // namespace tw
