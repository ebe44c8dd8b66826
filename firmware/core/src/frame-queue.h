// Frames waiting to be uploaded, copied out of the camera's buffer into a pool the platform hands over once at
// boot (PSRAM on the ESP32-CAM), so the camera is free for the next picture. Bounded: when full, the oldest
// routine frame makes room; frames a local trigger took are kept before routine ones. Lost at power off.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tw {

constexpr size_t kMaxFrameSlots = 8;
constexpr size_t kMaxTriggerLength = 23;

struct QueuedFrame {
  const uint8_t* data = nullptr;
  size_t size = 0;
  int64_t captured_ms = 0;
  const char* trigger = "";  // "" for a routine frame
};

class FrameQueue {
 public:
  /** `pool` holds `slots` frames of at most `slot_bytes` each (slots ≤ kMaxFrameSlots). */
  FrameQueue(uint8_t* pool, size_t slot_bytes, size_t slots);
  /** Copies a frame in; false when it is larger than a slot (counted in too_large()). */
  bool push(const uint8_t* jpeg, size_t size, int64_t captured_ms, const char* trigger);
  /** The frame to send next: triggered ones first, then by capture time. */
  bool front(QueuedFrame& out) const;
  void pop();
  size_t size() const;
  uint32_t evicted() const { return evicted_; }
  uint32_t too_large() const { return too_large_; }

 private:
  struct Slot {
    bool used = false;
    size_t size = 0;
    int64_t captured_ms = 0;
    uint32_t order = 0;
    char trigger[kMaxTriggerLength + 1] = {};
  };
  int pick_front() const;
  int pick_victim() const;

  uint8_t* pool_;
  size_t slot_bytes_, slots_;
  Slot slot_[kMaxFrameSlots];
  uint32_t next_order_ = 0, evicted_ = 0, too_large_ = 0;
};

/**
 * The frame budget: routine frames no more often than the server's X-Frame-Interval (else the device's default);
 * triggered frames are not subject to it.
 */
class FrameSchedule {
 public:
  explicit FrameSchedule(uint32_t default_interval_s) : default_interval_s_(default_interval_s) {}
  void on_server_interval(int32_t seconds) {
    if (seconds > 0) server_interval_s_ = seconds;
  }
  uint32_t interval_s() const { return server_interval_s_ > 0 ? static_cast<uint32_t>(server_interval_s_) : default_interval_s_; }
  bool routine_due(uint64_t now_ms) const { return !taken_ || now_ms - last_routine_ms_ >= uint64_t(interval_s()) * 1000; }
  void routine_taken(uint64_t now_ms) {
    taken_ = true;
    last_routine_ms_ = now_ms;
  }

 private:
  uint32_t default_interval_s_;
  int32_t server_interval_s_ = -1;
  bool taken_ = false;
  uint64_t last_routine_ms_ = 0;
};

}  // namespace tw
