// Which server a request goes to: the endpoints in the order provisioning gave them (nearest edge first), each
// with its own backoff. A request goes to the first one not backing off, so a failing primary hands over to the
// fallback at once and gets traffic back as soon as its backoff ends.
#pragma once
#include <cstddef>
#include <cstdint>

#include "backoff.h"
#include "http.h"

namespace tw {

constexpr size_t kMaxEndpoints = 3;

class EndpointSelector {
 public:
  explicit EndpointSelector(const BackoffSettings& backoff = BackoffSettings());
  bool add(const Endpoint& endpoint);
  size_t count() const { return count_; }
  const Endpoint& endpoint(size_t i) const { return endpoints_[i]; }
  /** The endpoint to use now, or -1 with `wait_ms` until the first one is available again. */
  int pick(uint64_t now_ms, uint64_t& wait_ms) const;
  void on_success(int i);
  /** A transport failure, a time-out, 5xx, 408 or 429; `retry_after_s` < 0 when none was given. */
  void on_failure(int i, uint64_t now_ms, int32_t retry_after_s, Random& random);
  uint32_t failures(int i) const { return backoff_[i].failures(); }

 private:
  Endpoint endpoints_[kMaxEndpoints];
  Backoff backoff_[kMaxEndpoints];
  uint64_t not_before_ms_[kMaxEndpoints] = {};
  size_t count_ = 0;
};

}  // namespace tw
