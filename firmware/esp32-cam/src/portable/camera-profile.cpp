#include "camera-profile.h"

namespace tw::esp32 {

CameraProfile camera_profile(CameraRole role, bool has_psram) {
  // "dual" units have one sensor; until a second sensor exists they take the cabin view, the one the vision job needs.
  CameraProfile p = role == CameraRole::road
                        ? CameraProfile{FrameSize::svga, 10, 1, false, 0, 0, true, 2, 128 * 1024, 20000000}
                        : CameraProfile{FrameSize::vga, 12, 4, true, 1, 1, true, 2, 96 * 1024, 20000000};
  if (!has_psram) {
    p.frame_size = FrameSize::qvga;
    p.frame_buffers = 1;
    p.max_jpeg_bytes = 24 * 1024;
  }
  return p;
}

}  // namespace tw::esp32
