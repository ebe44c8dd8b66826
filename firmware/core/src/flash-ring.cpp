#include "flash-ring.h"

#include <cstring>

#include "crc32.h"

namespace tw {

static constexpr uint32_t kEmpty = 0xFFFFFFFF;
static constexpr uint32_t kJournalMagic = 0x314A5754;  // "TWJ1"

namespace {
struct JournalEntry {
  uint32_t magic, generation, acked, crc;
};
static_assert(sizeof(JournalEntry) == FlashRing::kJournalEntryBytes, "journal entries are 16 bytes");

bool all_erased(const uint8_t* bytes, size_t len) {
  for (size_t i = 0; i < len; i++) {
    if (bytes[i] != 0xFF) return false;
  }
  return true;
}
}  // namespace

FlashRing::SlotState FlashRing::read_slot(const Position& at, uint32_t& seq, Fix* fix) {
  uint8_t raw[kSlotBytes];
  if (!flash_.read(slot_offset(at), raw, kSlotBytes)) return SlotState::garbage;
  if (all_erased(raw, kSlotBytes)) return SlotState::erased;
  uint32_t crc;
  std::memcpy(&seq, raw, 4);
  std::memcpy(&crc, raw + 4 + sizeof(Fix), 4);
  if (seq == kEmpty || crc32(raw, 4 + sizeof(Fix)) != crc) return SlotState::garbage;
  if (fix) std::memcpy(fix, raw + 4, sizeof(Fix));
  return SlotState::valid;
}

void FlashRing::advance(Position& at) const {
  at.slot++;
  // In the sector being written, a position never passes the write position; elsewhere it wraps to the next sector.
  if (at.slot >= slots_per_sector_ && at.sector != write_.sector) {
    at.sector = (at.sector + 1) % record_sectors_;
    at.slot = 0;
  }
}

bool FlashRing::mount() {
  sector_size_ = flash_.sector_size();
  const uint32_t sectors = sector_size_ ? flash_.size() / sector_size_ : 0;
  if (sectors < 4 || sectors - 2 > kMaxSectors || sector_size_ < kSlotBytes * 8) return false;
  record_sectors_ = sectors - 2;
  slots_per_sector_ = sector_size_ / kSlotBytes;
  dropped_ = 0;
  if (!mount_journal()) return false;

  uint32_t max_seq = 0;
  Position newest;
  bool any = false;
  uint32_t last_used[kMaxSectors];
  for (uint32_t s = 0; s < record_sectors_; s++) {
    sector_first_seq_[s] = kEmpty;
    last_used[s] = kEmpty;
    for (uint32_t i = 0; i < slots_per_sector_; i++) {
      uint32_t seq;
      const SlotState state = read_slot({s, i}, seq, nullptr);
      if (state == SlotState::erased) continue;
      last_used[s] = i;
      if (state != SlotState::valid) continue;
      if (seq < sector_first_seq_[s]) sector_first_seq_[s] = seq;
      if (!any || seq > max_seq) {
        max_seq = seq;
        newest = {s, i};
        any = true;
      }
    }
  }
  head_seq_ = (any && max_seq > acked_seq_ ? max_seq : acked_seq_) + 1;
  // Writing goes on after the newest record's sector's last used slot (torn slots included: never program twice).
  const uint32_t sector = any ? newest.sector : 0;
  write_ = {sector, last_used[sector] == kEmpty ? 0 : last_used[sector] + 1};
  seek_tail();
  return true;
}

void FlashRing::seek_tail() {
  // Oldest to newest: from the sector after the one being written, round to the write position.
  tail_seq_ = head_seq_;
  Position at{(write_.sector + 1) % record_sectors_, 0};
  read_ = write_;
  for (uint32_t guard = 0; at != write_ && guard <= record_sectors_ * slots_per_sector_; guard++) {
    uint32_t seq;
    if (read_slot(at, seq, nullptr) == SlotState::valid && seq > acked_seq_) {
      read_ = at;
      tail_seq_ = seq;
      return;
    }
    advance(at);
  }
}

bool FlashRing::mount_journal() {
  const uint32_t per_sector = sector_size_ / kJournalEntryBytes;
  bool found = false;
  uint32_t last_used[2] = {kEmpty, kEmpty};
  for (uint32_t j = 0; j < 2; j++) {
    for (uint32_t i = 0; i < per_sector; i++) {
      JournalEntry e;
      if (!flash_.read((record_sectors_ + j) * sector_size_ + i * kJournalEntryBytes, &e, sizeof e)) return false;
      if (all_erased(reinterpret_cast<const uint8_t*>(&e), sizeof e)) continue;
      last_used[j] = i;
      if (e.magic != kJournalMagic || crc32(&e, 12) != e.crc) continue;
      if (!found || e.generation > journal_gen_) {
        found = true;
        journal_gen_ = e.generation;
        acked_seq_ = e.acked;
        journal_sector_ = j;
      }
    }
  }
  if (!found) {
    journal_gen_ = 0;
    acked_seq_ = 0;
    journal_sector_ = 0;
  }
  journal_slot_ = last_used[journal_sector_] == kEmpty ? 0 : last_used[journal_sector_] + 1;
  return true;
}

bool FlashRing::write_journal(uint32_t acked) {
  const uint32_t per_sector = sector_size_ / kJournalEntryBytes;
  for (uint32_t attempt = 0; attempt < per_sector + 1; attempt++) {
    if (journal_slot_ >= per_sector) {
      // The other sector is erased only now: until the first entry lands there, this one holds the latest state.
      journal_sector_ ^= 1;
      journal_slot_ = 0;
      if (!flash_.erase_sector(record_sectors_ + journal_sector_)) return false;
    }
    const uint32_t offset = (record_sectors_ + journal_sector_) * sector_size_ + journal_slot_ * kJournalEntryBytes;
    JournalEntry current;
    if (!flash_.read(offset, &current, sizeof current)) return false;
    journal_slot_++;
    if (!all_erased(reinterpret_cast<const uint8_t*>(&current), sizeof current)) continue;  // a torn entry: skip it
    JournalEntry e{kJournalMagic, journal_gen_ + 1, acked, 0};
    e.crc = crc32(&e, 12);
    if (!flash_.program(offset, &e, sizeof e)) return false;
    journal_gen_++;
    acked_seq_ = acked;
    return true;
  }
  return false;
}

bool FlashRing::open_sector(uint32_t sector) {
  // Fixes not yet delivered in the sector about to be reused are lost: the buffer is bounded.
  const bool read_here = read_.sector == sector && tail_seq_ != head_seq_;
  for (uint32_t i = 0; i < slots_per_sector_; i++) {
    uint32_t seq;
    if (read_slot({sector, i}, seq, nullptr) == SlotState::valid && seq >= tail_seq_) dropped_++;
  }
  if (!flash_.erase_sector(sector)) return false;
  sector_first_seq_[sector] = kEmpty;
  const Position old_write = write_;
  write_ = {sector, 0};
  if (read_here) {
    tail_seq_ = head_seq_;
    read_ = write_;
    for (uint32_t s = (sector + 1) % record_sectors_; s != sector; s = (s + 1) % record_sectors_) {
      if (sector_first_seq_[s] != kEmpty) {
        tail_seq_ = sector_first_seq_[s];  // newer than anything in the erased sector
        read_ = {s, 0};
        break;
      }
    }
  } else if (read_ == old_write) {
    read_ = write_;
  }
  return true;
}

bool FlashRing::append(const Fix& fix) {
  for (uint32_t guard = 0; guard <= slots_per_sector_ * 2; guard++) {
    if (write_.slot >= slots_per_sector_ && !open_sector((write_.sector + 1) % record_sectors_)) return false;
    uint32_t seq;
    if (read_slot(write_, seq, nullptr) != SlotState::erased) {
      write_.slot++;  // left over from a torn write: never program over it
      continue;
    }
    uint8_t raw[kSlotBytes];
    seq = head_seq_;
    std::memcpy(raw, &seq, 4);
    std::memcpy(raw + 4, &fix, sizeof(Fix));
    const uint32_t crc = crc32(raw, 4 + sizeof(Fix));
    std::memcpy(raw + 4 + sizeof(Fix), &crc, 4);
    const Position at = write_;
    write_.slot++;
    if (!flash_.program(slot_offset(at), raw, kSlotBytes)) return false;
    if (sector_first_seq_[at.sector] == kEmpty) sector_first_seq_[at.sector] = seq;
    head_seq_++;
    return true;
  }
  return false;
}

size_t FlashRing::peek(Fix* out, size_t max, uint32_t& last_seq) {
  size_t n = 0;
  Position at = read_;
  while (n < max && at != write_) {
    uint32_t seq;
    if (read_slot(at, seq, &out[n]) == SlotState::valid && seq >= tail_seq_ && seq < head_seq_) {
      last_seq = seq;
      n++;
    }
    advance(at);
  }
  return n;
}

bool FlashRing::ack(uint32_t seq) {
  if (seq < tail_seq_) return true;
  if (seq >= head_seq_) return false;
  if (!write_journal(seq)) return false;
  tail_seq_ = seq + 1;
  while (read_ != write_) {
    uint32_t at_seq;
    if (read_slot(read_, at_seq, nullptr) == SlotState::valid && at_seq >= tail_seq_) {
      tail_seq_ = at_seq;
      return true;
    }
    advance(read_);
  }
  tail_seq_ = head_seq_;
  return true;
}

}  // namespace tw
