#include "frame-queue.h"

#include <cstring>

namespace tw {

FrameQueue::FrameQueue(uint8_t* pool, size_t slot_bytes, size_t slots)
    : pool_(pool), slot_bytes_(slot_bytes), slots_(slots < kMaxFrameSlots ? slots : kMaxFrameSlots) {}

size_t FrameQueue::size() const {
  size_t n = 0;
  for (size_t i = 0; i < slots_; i++) n += slot_[i].used;
  return n;
}

int FrameQueue::pick_front() const {
  int best = -1;
  for (size_t i = 0; i < slots_; i++) {
    if (!slot_[i].used) continue;
    if (best < 0) {
      best = int(i);
      continue;
    }
    const Slot& a = slot_[i];
    const Slot& b = slot_[best];
    const bool a_triggered = a.trigger[0] != '\0', b_triggered = b.trigger[0] != '\0';
    if (a_triggered != b_triggered ? a_triggered : a.order < b.order) best = int(i);
  }
  return best;
}

int FrameQueue::pick_victim() const {
  int victim = -1;
  for (size_t i = 0; i < slots_; i++) {
    const Slot& a = slot_[i];
    if (!a.used) return int(i);  // a free slot: nobody is evicted
    if (victim < 0) {
      victim = int(i);
      continue;
    }
    const Slot& b = slot_[victim];
    const bool a_routine = a.trigger[0] == '\0', b_routine = b.trigger[0] == '\0';
    if (a_routine != b_routine ? a_routine : a.order < b.order) victim = int(i);
  }
  return victim;
}

bool FrameQueue::push(const uint8_t* jpeg, size_t size, int64_t captured_ms, const char* trigger) {
  if (size > slot_bytes_ || slots_ == 0) {
    too_large_++;
    return false;
  }
  const int i = pick_victim();
  Slot& s = slot_[i];
  if (s.used) evicted_++;
  std::memcpy(pool_ + size_t(i) * slot_bytes_, jpeg, size);
  s.used = true;
  s.size = size;
  s.captured_ms = captured_ms;
  s.order = next_order_++;
  const size_t n = trigger ? std::strlen(trigger) : 0;
  const size_t keep = n < kMaxTriggerLength ? n : kMaxTriggerLength;
  if (keep) std::memcpy(s.trigger, trigger, keep);
  s.trigger[keep] = '\0';
  return true;
}

bool FrameQueue::front(QueuedFrame& out) const {
  const int i = pick_front();
  if (i < 0) return false;
  out.data = pool_ + size_t(i) * slot_bytes_;
  out.size = slot_[i].size;
  out.captured_ms = slot_[i].captured_ms;
  out.trigger = slot_[i].trigger;
  return true;
}

void FrameQueue::pop() {
  const int i = pick_front();
  if (i >= 0) slot_[i].used = false;
}

}  // namespace tw
