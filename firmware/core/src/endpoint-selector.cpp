#include "endpoint-selector.h"

namespace tw {

EndpointSelector::EndpointSelector(const BackoffSettings& backoff) {
  for (auto& b : backoff_) b = Backoff(backoff);
}

bool EndpointSelector::add(const Endpoint& endpoint) {
  if (count_ == kMaxEndpoints) return false;
  endpoints_[count_] = endpoint;
  not_before_ms_[count_] = 0;
  backoff_[count_].reset();
  count_++;
  return true;
}

int EndpointSelector::pick(uint64_t now_ms, uint64_t& wait_ms) const {
  uint64_t earliest = UINT64_MAX;
  for (size_t i = 0; i < count_; i++) {
    if (not_before_ms_[i] <= now_ms) return static_cast<int>(i);
    if (not_before_ms_[i] < earliest) earliest = not_before_ms_[i];
  }
  wait_ms = count_ == 0 ? UINT64_MAX : earliest - now_ms;
  return -1;
}

void EndpointSelector::on_success(int i) {
  backoff_[i].reset();
  not_before_ms_[i] = 0;
}

void EndpointSelector::on_failure(int i, uint64_t now_ms, int32_t retry_after_s, Random& random) {
  not_before_ms_[i] = now_ms + backoff_[i].next_delay_ms(retry_after_s, random);
}

}  // namespace tw
