#include "civil-time.h"

#include <cstring>

namespace tw {

int64_t days_from_civil(int year, unsigned month, unsigned day) {
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

static void civil_from_days(int64_t z, int& year, unsigned& month, unsigned& day) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  day = doy - (153 * mp + 2) / 5 + 1;
  month = mp < 10 ? mp + 3 : mp - 9;
  year = static_cast<int>(yoe + era * 400) + (month <= 2);
}

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t utc_ms(int year, int month, int day, int hour, int minute, int second, int millis) {
  static const uint8_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1) return -1;
  if (day > kDays[month - 1] + (month == 2 && leap(year))) return -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 || millis < 0 || millis > 999) return -1;
  const int64_t days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return ((days * 24 + hour) * 60 + minute) * 60000LL + second * 1000LL + millis;
}

static void put2(char* p, unsigned v) {
  p[0] = char('0' + v / 10 % 10);
  p[1] = char('0' + v % 10);
}

size_t format_iso8601(int64_t ms, char* out) {
  int64_t days = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
  int64_t rest = ms - days * 86400000;
  int year;
  unsigned month, day;
  civil_from_days(days, year, month, day);
  put2(out, unsigned(year) / 100);
  put2(out + 2, unsigned(year) % 100);
  out[4] = '-';
  put2(out + 5, month);
  out[7] = '-';
  put2(out + 8, day);
  out[10] = 'T';
  put2(out + 11, unsigned(rest / 3600000));
  out[13] = ':';
  put2(out + 14, unsigned(rest / 60000 % 60));
  out[16] = ':';
  put2(out + 17, unsigned(rest / 1000 % 60));
  out[19] = '.';
  out[20] = char('0' + rest % 1000 / 100);
  put2(out + 21, unsigned(rest % 100));
  out[23] = 'Z';
  out[24] = '\0';
  return 24;
}

/** Reads exactly n digits at text[i]. */
static bool digits(const char* text, size_t len, size_t& i, int n, int& value) {
  value = 0;
  for (int k = 0; k < n; k++, i++) {
    if (i >= len || text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

static bool expect(const char* text, size_t len, size_t& i, char c) { return i < len && text[i++] == c; }

bool parse_iso8601(const char* text, size_t len, int64_t& ms) {
  size_t i = 0;
  int y, mo, d, h, mi, s, millis = 0;
  if (!digits(text, len, i, 4, y) || !expect(text, len, i, '-') || !digits(text, len, i, 2, mo) || !expect(text, len, i, '-') ||
      !digits(text, len, i, 2, d) || i >= len || (text[i] != 'T' && text[i] != 't' && text[i] != ' ')) {
    return false;
  }
  i++;
  if (!digits(text, len, i, 2, h) || !expect(text, len, i, ':') || !digits(text, len, i, 2, mi) || !expect(text, len, i, ':') ||
      !digits(text, len, i, 2, s)) {
    return false;
  }
  if (i < len && text[i] == '.') {
    i++;
    int scale = 100, n = 0;
    for (; i < len && text[i] >= '0' && text[i] <= '9'; i++, n++) {
      millis += (text[i] - '0') * scale;
      scale /= 10;
    }
    if (n == 0) return false;
  }
  int offset_min = 0;
  if (i < len && (text[i] == 'Z' || text[i] == 'z')) {
    i++;
  } else if (i < len && (text[i] == '+' || text[i] == '-')) {
    const int sign = text[i++] == '-' ? -1 : 1;
    int oh, om;
    if (!digits(text, len, i, 2, oh) || !expect(text, len, i, ':') || !digits(text, len, i, 2, om) || oh > 23 || om > 59) return false;
    offset_min = sign * (oh * 60 + om);
  } else {
    return false;  // a time without Z or an offset is ambiguous
  }
  if (i != len) return false;
  const int64_t local = utc_ms(y, mo, d, h, mi, s, millis);
  if (local < 0) return false;
  ms = local - offset_min * 60000LL;
  return true;
}

bool parse_http_date(const char* text, size_t len, int64_t& ms) {
  static const char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  // "Sun, 06 Nov 1994 08:49:37 GMT" is 29 characters.
  if (len != 29 || text[3] != ',' || text[4] != ' ' || std::memcmp(text + 25, " GMT", 4) != 0) return false;
  size_t i = 5;
  int d, y, h, mi, s;
  if (!digits(text, len, i, 2, d) || !expect(text, len, i, ' ')) return false;
  int month = 0;
  for (int m = 0; m < 12; m++) {
    if (std::memcmp(text + i, kMonths + m * 3, 3) == 0) month = m + 1;
  }
  if (month == 0) return false;
  i += 3;
  if (!expect(text, len, i, ' ') || !digits(text, len, i, 4, y) || !expect(text, len, i, ' ') || !digits(text, len, i, 2, h) ||
      !expect(text, len, i, ':') || !digits(text, len, i, 2, mi) || !expect(text, len, i, ':') || !digits(text, len, i, 2, s)) {
    return false;
  }
  ms = utc_ms(y, month, d, h, mi, s, 0);
  return ms >= 0;
}

}  // namespace tw
