#include "decimal.h"

namespace tw {

bool parse_fixed(const char* text, size_t len, int decimals, int64_t& out) {
  size_t i = 0;
  bool negative = false;
  if (i < len && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  int64_t value = 0;
  int kept = 0;
  bool any_digit = false, dot = false, round_up = false, rounded = false;
  for (; i < len; i++) {
    char c = text[i];
    if (c == '.') {
      if (dot) return false;
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') return false;
    any_digit = true;
    if (dot && kept == decimals) {
      if (!rounded) round_up = c >= '5';
      rounded = true;
      continue;
    }
    if (value > (INT64_MAX - 9) / 10) return false;
    value = value * 10 + (c - '0');
    if (dot) kept++;
  }
  if (!any_digit) return false;
  for (; kept < decimals; kept++) {
    if (value > INT64_MAX / 10) return false;
    value *= 10;
  }
  if (round_up) value++;
  out = negative ? -value : value;
  return true;
}

size_t format_uint(uint64_t value, char* out) {
  char tmp[21];
  size_t n = 0;
  do {
    tmp[n++] = char('0' + value % 10);
    value /= 10;
  } while (value != 0);
  for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  out[n] = '\0';
  return n;
}

size_t format_fixed(int64_t value, int decimals, char* out) {
  size_t n = 0;
  uint64_t magnitude = value < 0 ? uint64_t(0) - uint64_t(value) : uint64_t(value);
  if (value < 0) out[n++] = '-';
  uint64_t scale = 1;
  for (int i = 0; i < decimals; i++) scale *= 10;
  n += format_uint(magnitude / scale, out + n);
  if (decimals > 0) {
    out[n++] = '.';
    uint64_t frac = magnitude % scale;
    for (uint64_t s = scale / 10; s > 0; s /= 10) out[n++] = char('0' + (frac / s) % 10);
  }
  out[n] = '\0';
  return n;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace tw
