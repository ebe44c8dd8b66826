// How the OV2640 of an AI-Thinker ESP32-CAM is set up for each camera role, as plain data so it is tested on the
// host; esp32-cam.ino applies it through the esp32-camera driver. A taxi cabin at night is dark and lit by
// passing street lights: the cabin profile allows more sensor gain and the DSP's night exposure (AEC2) and keeps
// VGA, enough for the face and phone checks of the vision job; the road profile keeps gain low (noise hides
// plates and lane lines) and takes SVGA.
#pragma once
#include <cstddef>
#include <cstdint>

#include "provisioning.h"

namespace tw::esp32 {

/** Values of the esp32-camera driver's framesize_t for the sizes used here. */
enum class FrameSize : uint8_t { qvga = 5, vga = 8, svga = 9 };

struct CameraProfile {
  FrameSize frame_size;
  uint8_t jpeg_quality;     // 0–63, lower is better (driver scale)
  uint8_t gain_ceiling;     // gainceiling_t: 0 = 2×, 1 = 4×, 2 = 8×, 3 = 16×, 4 = 32×, 5 = 64×, 6 = 128×
  bool night_exposure;      // set_aec2: DSP auto-exposure that lengthens exposure in the dark
  int8_t ae_level;          // −2…2
  int8_t brightness;        // −2…2
  bool lens_correction;     // set_lenc: the cheap lens darkens the corners
  uint8_t frame_buffers;    // 2 in PSRAM lets the sensor fill one while the other is copied out
  size_t max_jpeg_bytes;    // frame-queue slot size; larger frames are refused (counted)
  uint32_t xclk_hz;
};

/** The profile for a role; without PSRAM only one small buffer fits. */
CameraProfile camera_profile(CameraRole role, bool has_psram);

}  // namespace tw::esp32
