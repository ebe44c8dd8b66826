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
 * The frame budget: routine frames no more often than the server's X-Frame-Interval (else the device's default),
 * stretched while the server's answers carry "routine_frame_interval_s" (its fleet's vision is behind: at least that
 * many seconds, for kAdviceHoldMs after the last answer that said so, or until a 2xx answer without it);
 * triggered frames are not subject to it.
 */
class FrameSchedule {
 public:
  static constexpr uint64_t kAdviceHoldMs = 5 * 60 * 1000;
  static constexpr int32_t kMaxAdviceS = 3600;

  explicit FrameSchedule(uint32_t default_interval_s) : default_interval_s_(default_interval_s) {}
  void on_server_interval(int32_t seconds) {
    if (seconds > 0) server_interval_s_ = seconds;
  }
  /** A 2xx answer's routine_frame_interval_s (-1: absent, which ends any advice). */
  void on_routine_advice(int32_t seconds, uint64_t now_ms) {
    if (seconds > 0) {
      advised_s_ = seconds < kMaxAdviceS ? seconds : kMaxAdviceS;
      advised_until_ms_ = now_ms + kAdviceHoldMs;
    } else {
      advised_s_ = 0;
    }
  }
  /** The unit's own budget (X-Frame-Interval or the default). */
  uint32_t interval_s() const { return server_interval_s_ > 0 ? static_cast<uint32_t>(server_interval_s_) : default_interval_s_; }
  /** The budget at `now_ms`, with the server's advice while it holds. */
  uint32_t interval_s(uint64_t now_ms) const {
    const uint32_t own = interval_s();
    if (advised_s_ <= 0 || now_ms >= advised_until_ms_) return own;
    return static_cast<uint32_t>(advised_s_) > own ? static_cast<uint32_t>(advised_s_) : own;
  }
  bool routine_due(uint64_t now_ms) const { return !taken_ || now_ms - last_routine_ms_ >= uint64_t(interval_s(now_ms)) * 1000; }
  void routine_taken(uint64_t now_ms) {
    taken_ = true;
    last_routine_ms_ = now_ms;
  }

 private:
  uint32_t default_interval_s_;
  int32_t server_interval_s_ = -1;
  int32_t advised_s_ = 0;
  uint64_t advised_until_ms_ = 0;
  bool taken_ = false;
  uint64_t last_routine_ms_ = 0;
};

}  // namespace tw
