// The offline buffer: fixes kept in a flash region across power loss, handed out oldest first, bounded (when full
// the oldest sector is erased and its fixes are counted as dropped), and acknowledged only after the server said
// 2xx, so nothing is lost to a cut connection. A fix sent twice (power lost between the 2xx and the
// acknowledgement) is a duplicate the server recognises by its device time, never a second row.
//
// Layout: all sectors but the last two hold 40-byte slots {seq, Fix, crc}; the last two are a journal of
// acknowledgements {magic, generation, acked seq, crc}. Only erased space is ever programmed, so a torn write
// leaves one slot that fails its CRC and is skipped.
#pragma once
#include <cstddef>
#include <cstdint>

#include "fix.h"
#include "ports.h"

namespace tw {

class FlashRing {
 public:
  static constexpr uint32_t kSlotBytes = 4 + sizeof(Fix) + 4;
  static constexpr uint32_t kJournalEntryBytes = 16;
  static constexpr uint32_t kMaxSectors = 256;  // record sectors: a 1 MiB region of 4 KiB sectors fits

  explicit FlashRing(Flash& flash) : flash_(flash) {}

  /** Scans the region and rebuilds the cursors; false when the region is unusable (too small, read errors). */
  bool mount();
  /** Appends a fix; when the ring is full the oldest sector's fixes are dropped. False on a flash error. */
  bool append(const Fix& fix);
  /** Copies up to `max` of the oldest unacknowledged fixes; `last_seq` is the sequence number of the last one. */
  size_t peek(Fix* out, size_t max, uint32_t& last_seq);
  /** Marks every fix up to and including `seq` as delivered (persisted before it returns true). */
  bool ack(uint32_t seq);

  uint32_t pending() const { return head_seq_ - tail_seq_; }
  uint32_t capacity() const { return record_sectors_ * slots_per_sector_; }
  uint32_t dropped() const { return dropped_; }
  uint32_t acked_seq() const { return acked_seq_; }

 private:
  struct Position {
    uint32_t sector = 0, slot = 0;
    bool operator==(const Position& o) const { return sector == o.sector && slot == o.slot; }
    bool operator!=(const Position& o) const { return !(*this == o); }
  };
  enum class SlotState { erased, valid, garbage };

  SlotState read_slot(const Position& at, uint32_t& seq, Fix* fix);
  uint32_t slot_offset(const Position& at) const { return at.sector * sector_size_ + at.slot * kSlotBytes; }
  void advance(Position& at) const;
  bool open_sector(uint32_t sector);
  bool mount_journal();
  bool write_journal(uint32_t acked);
  void seek_tail();

  Flash& flash_;
  uint32_t sector_size_ = 0, record_sectors_ = 0, slots_per_sector_ = 0;
  uint32_t sector_first_seq_[kMaxSectors] = {};  // first valid seq in each record sector, kEmpty when none
  Position write_, read_;
  uint32_t head_seq_ = 1;   // seq of the next fix appended
  uint32_t tail_seq_ = 1;   // seq of the oldest unacknowledged fix (== head when none)
  uint32_t acked_seq_ = 0;
  uint32_t dropped_ = 0;
  uint32_t journal_sector_ = 0, journal_slot_ = 0, journal_gen_ = 0;
};

}  // namespace tw
