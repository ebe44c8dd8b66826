// The host's clock, randomness and camera for the virtual device.
#pragma once
#include <string>
#include <vector>

#include "ports.h"

namespace tw::host {

/** Virtual time: sleeping moves it on at once, so a 20-minute drive replays in seconds. */
class VirtualClock : public Clock {
 public:
  uint64_t monotonic_ms() override { return now_ms_; }
  void sleep_ms(uint32_t ms) override { now_ms_ += ms; }
  void advance_to(uint64_t ms) {
    if (ms > now_ms_) now_ms_ = ms;
  }

 private:
  uint64_t now_ms_ = 0;
};

/** xorshift64*: seeded, so a run can be repeated. */
class SeededRandom : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : state_(seed ? seed : 0x9E3779B97F4A7C15ULL) {}
  uint32_t next_u32() override {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return static_cast<uint32_t>((state_ * 0x2545F4914F6CDD1DULL) >> 32);
  }

 private:
  uint64_t state_;
};

/** A camera that "takes" the given JPEG files in turn, up to `limit` pictures. */
class FileCamera : public Camera {
 public:
  FileCamera(std::vector<std::string> files, size_t limit) : files_(std::move(files)), limit_(limit) {}
  bool capture(CameraFrame& out) override;
  void release(CameraFrame&) override {}
  size_t taken() const { return taken_; }

 private:
  std::vector<std::string> files_;
  size_t limit_, taken_ = 0;
  std::vector<uint8_t> buffer_;
};

}  // namespace tw::host
