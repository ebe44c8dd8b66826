// The ESP32-CAM's camera settings per role (the sketch applies them through esp32-camera).
#include <gtest/gtest.h>

#include "camera-profile.h"

using namespace tw;
using namespace tw::esp32;

TEST(CameraProfile, CabinIsBrighterAndSmallerRoadIsSharperAndQuieter) {
  const CameraProfile cabin = camera_profile(CameraRole::cabin, true);
  const CameraProfile road = camera_profile(CameraRole::road, true);
  EXPECT_EQ(cabin.frame_size, FrameSize::vga);
  EXPECT_EQ(road.frame_size, FrameSize::svga);
  EXPECT_GT(cabin.gain_ceiling, road.gain_ceiling);  // dark cabins need gain; noise hides plates on the road
  EXPECT_TRUE(cabin.night_exposure);
  EXPECT_FALSE(road.night_exposure);
  EXPECT_LT(road.jpeg_quality, cabin.jpeg_quality);  // lower is finer
  // A role not set yet, and "dual" units with one sensor, take the cabin view the vision job needs.
  EXPECT_EQ(camera_profile(CameraRole::unset, true).frame_size, FrameSize::vga);
  EXPECT_EQ(camera_profile(CameraRole::dual, true).gain_ceiling, cabin.gain_ceiling);
}

TEST(CameraProfile, WithoutPsramOneSmallBuffer) {
  const CameraProfile p = camera_profile(CameraRole::road, false);
  EXPECT_EQ(p.frame_size, FrameSize::qvga);
  EXPECT_EQ(p.frame_buffers, 1);
  EXPECT_LE(p.max_jpeg_bytes, 32u * 1024);
}
