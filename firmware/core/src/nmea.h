// NMEA 0183 from a GPS receiver's UART: line assembly, checksum check, field splitting, and the three sentences
// the unit needs (RMC position/date/speed, GGA quality/HDOP/altitude, VTG speed/course). Talker ids (GP, GN, GL,
// GA, BD…) are all accepted. Fields are parsed as fixed point, never floats.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tw {

constexpr size_t kNmeaMaxLine = 120;  // the standard says 82; vendors append more (e.g. trailing ids)
constexpr size_t kNmeaMaxFields = 24;

enum class NmeaStatus : uint8_t { ok, bad_checksum, missing_checksum, malformed, unsupported };
const char* to_string(NmeaStatus status);

/** Collects bytes into lines that start at '$'; noise before '$' and over-long lines are dropped. */
class NmeaLineReader {
 public:
  /** Feeds one byte; true when a complete line is available in `line()` (valid until the next feed). */
  bool feed(char c);
  const char* line() const { return buf_; }
  size_t length() const { return len_; }
  uint32_t overflows() const { return overflows_; }

 private:
  char buf_[kNmeaMaxLine + 1] = {};
  size_t len_ = 0;
  bool in_line_ = false;
  bool ready_ = false;
  uint32_t overflows_ = 0;
};

/** A sentence split into fields that point into the line (the line must outlive it). */
struct NmeaSentence {
  char talker[3] = {};  // "GP", "GN", … ("P" + nothing for proprietary)
  char type[4] = {};    // "RMC", "GGA", …
  const char* field[kNmeaMaxFields] = {};
  uint8_t field_len[kNmeaMaxFields] = {};
  uint8_t count = 0;  // data fields after the address
  bool has_checksum = false;
};

/**
 * Splits a line ("$GPRMC,…*hh"). A checksum that does not match rejects the line; a line without one is rejected
 * unless `allow_missing_checksum` (some trackers omit it; a NEO-6M never does). Bytes after the two checksum digits
 * (a vendor trailer) are ignored; the checksum covers only what precedes '*'.
 */
NmeaStatus split_sentence(char* line, size_t len, bool allow_missing_checksum, NmeaSentence& out);

constexpr int32_t kNoTime = -1;

struct RmcData {
  int32_t time_of_day_ms = kNoTime;
  bool valid = false;  // status 'A' and mode not 'N'
  bool has_position = false;
  int32_t lat_e7 = 0, lon_e7 = 0;
  uint16_t speed_ckmh = 0xFFFF;
  uint16_t course_cdeg = 0xFFFF;
  int32_t date_days = -1;  // days since 1970-01-01, -1 when absent
};

struct GgaData {
  int32_t time_of_day_ms = kNoTime;
  uint8_t quality = 0;
  bool has_position = false;
  int32_t lat_e7 = 0, lon_e7 = 0;
  uint8_t satellites = 0;
  uint16_t hdop_c = 0xFFFF;
  int32_t altitude_dm = INT32_MIN;
};

struct VtgData {
  uint16_t course_cdeg = 0xFFFF;
  uint16_t speed_ckmh = 0xFFFF;
  bool valid = true;  // mode indicator 'N' says the data is not valid
};

NmeaStatus parse_rmc(const NmeaSentence& s, RmcData& out);
NmeaStatus parse_gga(const NmeaSentence& s, GgaData& out);
NmeaStatus parse_vtg(const NmeaSentence& s, VtgData& out);

/** "hhmmss" or "hhmmss.sss" → ms of the day. */
bool parse_nmea_time(const char* text, size_t len, int32_t& ms);
/** "ddmm.mmmm" with hemisphere 'N'/'S' (or "dddmm.mmmm" with 'E'/'W') → degrees × 10^7. */
bool parse_nmea_coordinate(const char* value, size_t len, char hemisphere, bool longitude, int32_t& e7);

}  // namespace tw
