// The core's RAM budget. Everything the core keeps lives in a few objects the platform allocates once (statically
// on the ESP32: no heap in the steady state); their total must stay within kCoreRamBudgetBytes of the ESP32's
// ~320 KiB internal RAM, next to Wi-Fi/TLS (~60–100 KiB) and the camera driver. Frames are not in it: they sit
// in the frame pool the platform gives FrameQueue (PSRAM on the ESP32-CAM).
#pragma once
#include <cstddef>

namespace tw {

constexpr size_t kCoreRamBudgetBytes = 12 * 1024;
/** Device + FlashRing + KeyRing + FrameQueue (metadata) + EndpointSelector inside Device; see ram-budget.cpp. */
extern const size_t kCoreRamBytes;

}  // namespace tw
