// A GPS fix as the core keeps it: integers only (fixed point), so parsing, storing and printing are exact and the
// same on every platform. 32 bytes, which is also its size in the flash ring.
#pragma once
#include <cstdint>

namespace tw {

constexpr uint16_t kNoU16 = 0xFFFF;
constexpr int32_t kNoAltitude = INT32_MIN;

struct Fix {
  int64_t utc_ms = 0;            // device time (GPS), ms since 1970-01-01 UTC
  int32_t lat_e7 = 0;            // degrees × 10^7
  int32_t lon_e7 = 0;
  int32_t altitude_dm = kNoAltitude;  // metres × 10 above mean sea level
  uint16_t speed_ckmh = kNoU16;  // km/h × 100
  uint16_t heading_cdeg = kNoU16;  // degrees × 100, 0..35999
  uint16_t hdop_c = kNoU16;      // HDOP × 100
  uint8_t satellites = 0;
  uint8_t fix_quality = 0;       // GGA quality (1 GPS, 2 DGPS, …); 0 when only RMC said "valid"
  uint32_t reserved = 0;         // keeps the record 32 bytes and 8-byte aligned
};

static_assert(sizeof(Fix) == 32, "the flash record layout depends on a 32-byte Fix");

/** Horizontal accuracy estimate in decimetres: HDOP × a typical user range error of 5 m (u-blox NEO-6M/M8N). */
inline uint32_t accuracy_dm(const Fix& fix) { return fix.hdop_c == kNoU16 ? 0 : (uint32_t(fix.hdop_c) * 5 + 5) / 10; }

}  // namespace tw
