// CRC-32 (IEEE 802.3, as zlib) over records in flash and settings blobs, so torn writes and bit rot are detected.
#pragma once
#include <cstddef>
#include <cstdint>

namespace tw {

uint32_t crc32(const void* data, size_t len, uint32_t crc = 0);

}  // namespace tw
