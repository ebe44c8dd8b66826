// Wall-clock time for the virtual device when it should pace itself like a unit (against a remote server).
#pragma once
#include <chrono>
#include <thread>

#include "ports.h"

namespace tw::host {

class RealClock : public Clock {
 public:
  uint64_t monotonic_ms() override {
    return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start_).count());
  }
  void sleep_ms(uint32_t ms) override { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace tw::host
