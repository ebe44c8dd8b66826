// UTC calendar arithmetic without the C library's time zone machinery (absent or costly on microcontrollers).
#pragma once
#include <cstddef>
#include <cstdint>

namespace tw {

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
int64_t days_from_civil(int year, unsigned month, unsigned day);

/** ms since the epoch of a UTC date and time; -1 when a field is out of range. */
int64_t utc_ms(int year, int month, int day, int hour, int minute, int second, int millis);

/** "2026-06-01T08:00:00.000Z" (24 chars + NUL); returns the length. */
size_t format_iso8601(int64_t ms, char* out);

/** ISO-8601 date-time with Z or ±hh:mm and an optional fraction; false when it is not one. */
bool parse_iso8601(const char* text, size_t len, int64_t& ms);

/** IMF-fixdate as in Retry-After / Date headers: "Sun, 06 Nov 1994 08:49:37 GMT". */
bool parse_http_date(const char* text, size_t len, int64_t& ms);

}  // namespace tw
