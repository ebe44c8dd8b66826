#include "nmea.h"

#include <cstring>

#include "civil-time.h"
#include "decimal.h"

namespace tw {

const char* to_string(NmeaStatus status) {
  switch (status) {
    case NmeaStatus::ok: return "ok";
    case NmeaStatus::bad_checksum: return "bad_checksum";
    case NmeaStatus::missing_checksum: return "missing_checksum";
    case NmeaStatus::malformed: return "malformed";
    case NmeaStatus::unsupported: return "unsupported";
  }
  return "?";
}

bool NmeaLineReader::feed(char c) {
  if (ready_) {
    ready_ = false;
    len_ = 0;
  }
  if (c == '$') {  // a new start always wins: a line cut short by noise is dropped
    in_line_ = true;
    len_ = 0;
    buf_[len_++] = c;
    return false;
  }
  if (!in_line_) return false;
  if (c == '\r' || c == '\n') {
    in_line_ = false;
    if (len_ < 2) return false;
    buf_[len_] = '\0';
    ready_ = true;
    return true;
  }
  if (len_ >= kNmeaMaxLine) {
    in_line_ = false;
    overflows_++;
    return false;
  }
  buf_[len_++] = c;
  return false;
}

NmeaStatus split_sentence(char* line, size_t len, bool allow_missing_checksum, NmeaSentence& out) {
  out = NmeaSentence{};
  while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\r' || line[len - 1] == '\n')) len--;
  if (len < 6 || line[0] != '$') return NmeaStatus::malformed;
  size_t end = len;
  uint8_t sum = 0;
  for (size_t i = 1; i < len; i++) {
    if (line[i] == '*') {
      end = i;
      break;
    }
    sum ^= static_cast<uint8_t>(line[i]);
  }
  if (end < len) {
    if (end + 2 >= len) return NmeaStatus::bad_checksum;  // fewer than two digits
    const int hi = hex_value(line[end + 1]), lo = hex_value(line[end + 2]);
    if (hi < 0 || lo < 0 || ((hi << 4) | lo) != sum) return NmeaStatus::bad_checksum;
    out.has_checksum = true;
  } else if (!allow_missing_checksum) {
    return NmeaStatus::missing_checksum;
  }
  line[end] = '\0';
  // Address: two-letter talker + three-letter type, or 'P' + vendor sentence.
  const char* address = line + 1;
  const char* comma = static_cast<const char*>(std::memchr(address, ',', end - 1));
  const size_t address_len = comma ? static_cast<size_t>(comma - address) : end - 1;
  if (address[0] == 'P') {
    out.talker[0] = 'P';
  } else if (address_len == 5) {
    std::memcpy(out.talker, address, 2);
    std::memcpy(out.type, address + 2, 3);
  } else {
    return NmeaStatus::malformed;
  }
  if (!comma) return NmeaStatus::ok;
  char* p = line + 1 + address_len + 1;
  char* const stop = line + end;
  for (;;) {
    if (out.count == kNmeaMaxFields) return NmeaStatus::malformed;
    char* next = static_cast<char*>(std::memchr(p, ',', static_cast<size_t>(stop - p)));
    char* field_end = next ? next : stop;
    out.field[out.count] = p;
    out.field_len[out.count] = static_cast<uint8_t>(field_end - p);
    out.count++;
    if (!next) break;
    *next = '\0';
    p = next + 1;
  }
  return NmeaStatus::ok;
}

bool parse_nmea_time(const char* text, size_t len, int32_t& ms) {
  if (len < 6) return false;
  for (int i = 0; i < 6; i++) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[2] - '0') * 10 + (text[3] - '0');
  const int s = (text[4] - '0') * 10 + (text[5] - '0');
  if (h > 23 || m > 59 || s > 60) return false;
  int64_t frac = 0;
  if (len > 6) {
    if (text[6] != '.' || !parse_fixed(text + 6, len - 6, 3, frac)) return false;
  }
  ms = ((h * 60 + m) * 60 + s) * 1000 + static_cast<int32_t>(frac);
  return true;
}

bool parse_nmea_coordinate(const char* value, size_t len, char hemisphere, bool longitude, int32_t& e7) {
  int64_t minutes_e6;  // the whole "ddmm.mmmm" as a number × 10^6
  if (len == 0 || value[0] == '-' || value[0] == '+' || !parse_fixed(value, len, 6, minutes_e6)) return false;
  const int64_t degrees = minutes_e6 / 100000000;
  const int64_t minutes_part_e6 = minutes_e6 % 100000000;  // mm.mmmmmm × 10^6
  if (minutes_part_e6 >= 60000000) return false;
  // degrees × 10^7 + minutes × 10^7 / 60 = minutes_e6 × 10 / 60 = minutes_e6 / 6, rounded half up
  int64_t result = degrees * 10000000 + (minutes_part_e6 + 3) / 6;
  if (result > (longitude ? 1800000000LL : 900000000LL)) return false;
  if (longitude ? (hemisphere == 'W') : (hemisphere == 'S')) result = -result;
  else if (hemisphere != (longitude ? 'E' : 'N')) return false;
  e7 = static_cast<int32_t>(result);
  return true;
}

static bool empty(const NmeaSentence& s, int i) { return i >= s.count || s.field_len[i] == 0; }
static char first(const NmeaSentence& s, int i) { return empty(s, i) ? '\0' : s.field[i][0]; }

/** A non-negative fixed-point field that fits in a uint16 (speed, course, HDOP). */
static bool u16_field(const NmeaSentence& s, int i, int decimals, int64_t multiply, int64_t divide, uint16_t& out) {
  int64_t v;
  if (empty(s, i) || !parse_fixed(s.field[i], s.field_len[i], decimals, v) || v < 0) return false;
  v = (v * multiply + divide / 2) / divide;
  if (v >= 0xFFFF) return false;
  out = static_cast<uint16_t>(v);
  return true;
}

static bool position(const NmeaSentence& s, int at, int32_t& lat, int32_t& lon) {
  if (empty(s, at) || empty(s, at + 2)) return false;
  return parse_nmea_coordinate(s.field[at], s.field_len[at], first(s, at + 1), false, lat) &&
         parse_nmea_coordinate(s.field[at + 2], s.field_len[at + 2], first(s, at + 3), true, lon);
}

// Knots × 1000 → km/h × 100: × 1.852 × 100 / 1000.
static bool knots_field(const NmeaSentence& s, int i, uint16_t& out) { return u16_field(s, i, 3, 1852, 10000, out); }

static bool course_field(const NmeaSentence& s, int i, uint16_t& out) {
  if (!u16_field(s, i, 2, 1, 1, out)) return false;
  if (out >= 36000) out = static_cast<uint16_t>(out % 36000);
  return true;
}

// RMC: time, status, lat, N/S, lon, E/W, speed (kn), course, date, magvar, E/W, [mode], [nav status]
NmeaStatus parse_rmc(const NmeaSentence& s, RmcData& out) {
  out = RmcData{};
  if (std::strcmp(s.type, "RMC") != 0) return NmeaStatus::unsupported;
  if (s.count < 9) return NmeaStatus::malformed;
  if (!empty(s, 0) && !parse_nmea_time(s.field[0], s.field_len[0], out.time_of_day_ms)) return NmeaStatus::malformed;
  const char status = first(s, 1);
  const char mode = first(s, 11);
  out.valid = status == 'A' && mode != 'N';
  out.has_position = position(s, 2, out.lat_e7, out.lon_e7);
  if (!out.has_position && !empty(s, 2)) return NmeaStatus::malformed;
  knots_field(s, 6, out.speed_ckmh);
  course_field(s, 7, out.course_cdeg);
  if (!empty(s, 8)) {
    if (s.field_len[8] != 6) return NmeaStatus::malformed;
    int d = 0, m = 0, y = 0;
    for (int k = 0; k < 6; k++) {
      const char c = s.field[8][k];
      if (c < '0' || c > '9') return NmeaStatus::malformed;
    }
    d = (s.field[8][0] - '0') * 10 + (s.field[8][1] - '0');
    m = (s.field[8][2] - '0') * 10 + (s.field[8][3] - '0');
    y = (s.field[8][4] - '0') * 10 + (s.field[8][5] - '0');
    // Two-digit years: receivers of this century; 80–99 are old logs (and rejected later as implausible).
    y += y >= 80 ? 1900 : 2000;
    if (utc_ms(y, m, d, 0, 0, 0, 0) < 0) return NmeaStatus::malformed;
    out.date_days = static_cast<int32_t>(days_from_civil(y, static_cast<unsigned>(m), static_cast<unsigned>(d)));
  }
  return NmeaStatus::ok;
}

// GGA: time, lat, N/S, lon, E/W, quality, satellites, HDOP, altitude, M, geoid separation, M, age, station
NmeaStatus parse_gga(const NmeaSentence& s, GgaData& out) {
  out = GgaData{};
  if (std::strcmp(s.type, "GGA") != 0) return NmeaStatus::unsupported;
  if (s.count < 9) return NmeaStatus::malformed;
  if (!empty(s, 0) && !parse_nmea_time(s.field[0], s.field_len[0], out.time_of_day_ms)) return NmeaStatus::malformed;
  out.has_position = position(s, 1, out.lat_e7, out.lon_e7);
  if (!out.has_position && !empty(s, 1)) return NmeaStatus::malformed;
  int64_t v;
  if (!empty(s, 5)) {
    if (!parse_fixed(s.field[5], s.field_len[5], 0, v) || v < 0 || v > 9) return NmeaStatus::malformed;
    out.quality = static_cast<uint8_t>(v);
  }
  if (!empty(s, 6) && parse_fixed(s.field[6], s.field_len[6], 0, v) && v >= 0 && v < 100) out.satellites = static_cast<uint8_t>(v);
  u16_field(s, 7, 2, 1, 1, out.hdop_c);
  if (!empty(s, 8) && parse_fixed(s.field[8], s.field_len[8], 1, v) && v > -100000 && v < 1000000) out.altitude_dm = static_cast<int32_t>(v);
  return NmeaStatus::ok;
}

// VTG: course T, 'T', course M, 'M', speed kn, 'N', speed km/h, 'K', [mode]. Pre-2.3 receivers omit the letters:
// course T, course M, speed kn, speed km/h.
NmeaStatus parse_vtg(const NmeaSentence& s, VtgData& out) {
  out = VtgData{};
  if (std::strcmp(s.type, "VTG") != 0) return NmeaStatus::unsupported;
  const bool lettered = s.count >= 8;  // NMEA 2.3+ has 8 or 9 fields, older receivers 4
  if (lettered) {
    course_field(s, 0, out.course_cdeg);
    if (!u16_field(s, 6, 2, 1, 1, out.speed_ckmh)) knots_field(s, 4, out.speed_ckmh);
    out.valid = first(s, 8) != 'N';
  } else if (s.count >= 4) {
    course_field(s, 0, out.course_cdeg);
    if (!u16_field(s, 3, 2, 1, 1, out.speed_ckmh)) knots_field(s, 2, out.speed_ckmh);
  } else {
    return NmeaStatus::malformed;
  }
  return NmeaStatus::ok;
}

}  // namespace tw
