// Fixed-point text helpers: parse "12.345" into 12345 (3 decimals) and print integers back as decimals, without
// floating point, so a value survives parse → store → JSON unchanged.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tw {

/**
 * Parses an optionally signed decimal with at most `decimals` fractional digits kept (extra digits are rounded
 * half up) into value × 10^decimals. False on an empty field, a stray character or overflow.
 */
bool parse_fixed(const char* text, size_t len, int decimals, int64_t& out);

/** Writes value / 10^decimals as text ("-12.3456789"), at most 24 chars plus NUL; returns the length. */
size_t format_fixed(int64_t value, int decimals, char* out);

/** Writes an unsigned integer; returns the length. */
size_t format_uint(uint64_t value, char* out);

/** The value of one hexadecimal digit (either case), or -1. */
int hex_value(char c);

}  // namespace tw
