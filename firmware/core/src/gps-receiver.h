// The GPS path in one place, byte by byte from the UART: line → checksum and fields → RMC/GGA/VTG → epoch → filter.
#pragma once
#include <cstdint>

#include "fix-assembler.h"
#include "fix-filter.h"
#include "nmea.h"

namespace tw {

struct GpsCounters {
  uint32_t lines = 0;
  uint32_t bad_checksum = 0;
  uint32_t missing_checksum = 0;
  uint32_t malformed = 0;
  uint32_t epochs = 0;
  uint32_t accepted = 0;
  uint32_t rejected[8] = {};  // by FixVerdict
};

class GpsReceiver {
 public:
  explicit GpsReceiver(const FixFilterSettings& filter = FixFilterSettings(), bool allow_missing_checksum = false)
      : filter_(filter), allow_missing_checksum_(allow_missing_checksum) {}

  /** Feeds one byte; true when it completed a fix the filter accepted (then in `out`). */
  bool feed(char c, Fix& out);
  /** Ends the epoch in progress (end of a log); true when that gave an accepted fix. */
  bool flush(Fix& out);
  const GpsCounters& counters() const { return counters_; }
  const FixFilter& filter() const { return filter_; }

 private:
  bool judge(const FixCandidate& candidate, Fix& out);

  NmeaLineReader reader_;
  FixAssembler assembler_;
  FixFilter filter_;
  bool allow_missing_checksum_;
  GpsCounters counters_;
};

}  // namespace tw
