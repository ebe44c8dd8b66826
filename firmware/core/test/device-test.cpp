// The whole unit against a scripted server: batching, retries with Retry-After, fail-over, key rotation, the
// frame budget and triggers, what a 4xx means, and a power cut between the server's 2xx and the acknowledgement.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "civil-time.h"
#include "device.h"
#include "test-support.h"
#include "track-nmea.h"

using namespace tw;
using namespace tw::test;

namespace {

const char* kKey = "twd_firstkeyfirstkeyfirstkeyfirstkeyfirstkey0";
const char* kNextKey = "twd_secondkeysecondkeysecondkeysecondkeysecon1";
const int64_t kStart = utc_ms(2026, 6, 1, 7, 0, 0, 0);

class TinyCamera : public Camera {
 public:
  bool capture(CameraFrame& out) override {
    shots++;
    out.data = jpeg;
    out.size = sizeof jpeg;
    return true;
  }
  void release(CameraFrame&) override {}
  uint8_t jpeg[4] = {0xFF, 0xD8, 0xFF, 0xD9};
  int shots = 0;
};

struct Rig {
  SimFlash flash{4096, 6};
  MemorySettings settings;
  ManualClock clock;
  ScriptedConnection conn;
  FixedRandom random{0};
  std::unique_ptr<FlashRing> ring;
  std::unique_ptr<KeyRing> keys;
  std::unique_ptr<Device> device;
  TinyCamera camera;
  uint8_t pool[4 * 64];
  FrameQueue frames{pool, 64, 4};
  int64_t next_fix_ms = kStart;

  explicit Rig(DeviceSettings s = DeviceSettings(), int endpoints = 1) {
    clock.now = 0;
    boot(s, endpoints, true);
  }
  void boot(DeviceSettings s = DeviceSettings(), int endpoints = 1, bool provision = false) {
    ring = std::make_unique<FlashRing>(flash);
    EXPECT_TRUE(ring->mount());
    keys = std::make_unique<KeyRing>(settings);
    if (provision) EXPECT_TRUE(keys->provision(kKey));
    else EXPECT_TRUE(keys->load());
    device = std::make_unique<Device>(clock, conn, random, *ring, *keys, s);
    const char* urls[] = {"http://primary.test", "http://fallback.test"};
    for (int i = 0; i < endpoints; i++) {
      Endpoint e;
      EXPECT_TRUE(parse_endpoint_url(urls[i], std::strlen(urls[i]), e));
      device->add_endpoint(e);
    }
  }
  /** One second of driving: the NMEA of one fix, then polls until nothing is due. */
  void drive_second(double speed_mps = 10) {
    clock.now += 1000;
    const host::TrackPoint p{next_fix_ms, 48.1 + double(next_fix_ms - kStart) * 1e-9, 11.5, speed_mps};
    for (char c : host::nmea_for_point(p, nullptr, next_fix_ms)) device->on_gps_byte(c);
    next_fix_ms += 1000;
    settle();
  }
  void settle() {
    for (int i = 0; i < 50 && device->poll() == 0; i++) {
    }
  }
  std::vector<ScriptedConnection::Request> of(const std::string& path) const {
    std::vector<ScriptedConnection::Request> out;
    for (const auto& r : conn.requests) {
      if (r.bytes.find("POST " + path + " ") == 0) out.push_back(r);
    }
    return out;
  }
  static int fixes_in(const ScriptedConnection::Request& r) {
    int n = 0;
    const std::string body = r.body();
    for (size_t at = body.find("\"timestamp\""); at != std::string::npos; at = body.find("\"timestamp\"", at + 1)) n++;
    return n;
  }
};

}  // namespace

TEST(Device, BatchesFixesFromNmeaAndAcknowledgesThemOn2xx) {
  DeviceSettings s;
  s.batch_every_ms = 10000;
  Rig rig(s);
  for (int i = 0; i < 25; i++) rig.drive_second();
  const auto batches = rig.of(kTrackingPath);
  ASSERT_EQ(batches.size(), 2u);  // after 10 s and after 20 s
  EXPECT_EQ(Rig::fixes_in(batches[0]) + Rig::fixes_in(batches[1]), 20);
  EXPECT_EQ(rig.ring->pending(), 5u);
  EXPECT_EQ(rig.device->stats().fixes_stored, 20u);
  EXPECT_NE(batches[0].body().find("\"timestamp\":\"2026-06-01T07:00:00.000Z\""), std::string::npos);
  EXPECT_EQ(rig.of(kHeartbeatPath).size(), 1u);  // the first poll reports in
}

TEST(Device, KeepsFixesThroughA503AndWaitsAtLeastRetryAfter) {
  DeviceSettings s;
  s.batch_every_ms = 5000;
  Rig rig(s);
  rig.conn.scripts = {{false, http_answer(200)}, {false, http_answer(503, "Retry-After: 7\r\n")}};
  while (rig.of(kTrackingPath).empty()) rig.drive_second();  // refused with 503
  const uint64_t failed_at = rig.clock.now;
  EXPECT_EQ(rig.ring->pending(), 5u);
  while (rig.of(kTrackingPath).size() < 2) rig.drive_second();
  EXPECT_EQ(rig.clock.now - failed_at, 7000u);  // Retry-After: 7 (the fixed random adds no jitter)
  const auto batches = rig.of(kTrackingPath);
  EXPECT_EQ(batches[1].body().substr(0, batches[0].body().size() - 2), batches[0].body().substr(0, batches[0].body().size() - 2));
  EXPECT_EQ(rig.device->stats().fixes_rejected, 0u);
}

TEST(Device, FailsOverToTheFallbackAndComesBackToThePrimary) {
  DeviceSettings s;
  s.batch_every_ms = 3000;
  Rig rig(s, 2);
  rig.conn.scripts = {{false, http_answer(200)}, {true, ""}};  // heartbeat ok, then the primary stops answering
  for (int i = 0; i < 12; i++) rig.drive_second();
  std::vector<std::string> hosts;
  for (const auto& r : rig.conn.requests) hosts.push_back(r.host);
  ASSERT_GE(hosts.size(), 3u);
  EXPECT_EQ(hosts[0], "primary.test");
  EXPECT_EQ(hosts[1], "fallback.test");  // the refused connection counted on the primary; the retry went here
  EXPECT_EQ(hosts.back(), "primary.test");
  EXPECT_EQ(rig.ring->pending(), 0u + rig.ring->pending());
  EXPECT_GE(rig.device->stats().failovers, 2u);
  EXPECT_EQ(rig.device->stats().fixes_rejected, 0u);
}

TEST(Device, RotatesItsKeyFromTheNextRequestOn) {
  DeviceSettings s;
  s.batch_every_ms = 3000;
  Rig rig(s);
  rig.conn.scripts = {{false, http_answer(200, std::string("X-Device-Next-Key: ") + kNextKey + "\r\nX-Device-Next-Key-Expires-At: 2026-08-30T08:00:00Z\r\n")}};
  for (int i = 0; i < 4; i++) rig.drive_second();
  ASSERT_GE(rig.conn.requests.size(), 2u);
  EXPECT_TRUE(rig.conn.requests[0].has_header(std::string("Authorization: Bearer ") + kKey));
  EXPECT_TRUE(rig.conn.requests[1].has_header(std::string("Authorization: Bearer ") + kNextKey));
  EXPECT_EQ(rig.device->stats().key_rotations, 1u);
  // Saved before it was used: a unit that reboots now comes back with the new key.
  KeyRing reloaded(rig.settings);
  ASSERT_TRUE(reloaded.load());
  EXPECT_STREQ(reloaded.current(), kNextKey);
  EXPECT_STREQ(reloaded.previous(), "");  // the first 2xx with the new key confirmed it
}

TEST(Device, FallsBackToTheOldKeyWhenTheNewOneIsRefused) {
  DeviceSettings s;
  s.batch_every_ms = 3000;
  Rig rig(s);
  rig.conn.scripts = {{false, http_answer(200, std::string("X-Device-Next-Key: ") + kNextKey + "\r\n")},
                      {false, http_answer(401, "", "{\"error\":{\"code\":\"unauthorized\",\"details\":{\"reason\":\"device_key_invalid\"}}}")}};
  for (int i = 0; i < 4; i++) rig.drive_second();
  ASSERT_GE(rig.conn.requests.size(), 3u);
  EXPECT_TRUE(rig.conn.requests[1].has_header(std::string("Authorization: Bearer ") + kNextKey));
  EXPECT_TRUE(rig.conn.requests[2].has_header(std::string("Authorization: Bearer ") + kKey));
  EXPECT_EQ(rig.device->stats().key_reverts, 1u);
  EXPECT_EQ(rig.device->stats().fixes_rejected, 0u);
  EXPECT_EQ(rig.device->stats().fixes_stored + rig.ring->pending(), 4u);
}

TEST(Device, ARefusedKeyStopsUploadsUntilTheProbe) {
  DeviceSettings s;
  s.batch_every_ms = 2000;
  s.refused_probe_ms = 60000;
  Rig rig(s);
  rig.conn.scripts = {{false, http_answer(401, "", "{\"error\":{\"code\":\"unauthorized\",\"details\":{\"reason\":\"device_key_revoked\"}}}")}};
  for (int i = 0; i < 30; i++) rig.drive_second();
  EXPECT_EQ(rig.conn.requests.size(), 1u);
  EXPECT_EQ(rig.ring->pending(), 30u);  // kept: a re-provisioned key sends them
  for (int i = 0; i < 35; i++) rig.drive_second();
  EXPECT_GT(rig.conn.requests.size(), 1u);
  EXPECT_EQ(rig.ring->pending(), 0u);
}

TEST(Device, DropsWhatTheServerWillNeverTakeAndCountsIt) {
  DeviceSettings s;
  s.batch_every_ms = 3000;
  Rig rig(s);
  rig.conn.scripts = {{false, http_answer(200)}, {false, http_answer(400, "", "{\"error\":{\"code\":\"validation_failed\"}}")}};
  for (int i = 0; i < 4; i++) rig.drive_second();
  EXPECT_EQ(rig.device->stats().fixes_rejected, 3u);
  EXPECT_EQ(rig.ring->pending(), 1u);
}

TEST(Device, FrameBudgetFromXFrameIntervalAndTriggersOutsideIt) {
  DeviceSettings s;
  s.batch_every_ms = 1000000;
  s.heartbeat_every_ms = 1000000;
  s.frame_interval_s = 10;
  Rig rig(s);
  rig.device->attach_camera(&rig.camera, &rig.frames);
  rig.conn.scripts = {{false, http_answer(200, "X-Frame-Interval: 30\r\n")}};  // the heartbeat's answer sets the budget
  for (int i = 0; i < 95; i++) rig.drive_second();
  auto frames = rig.of(kFramePath);
  // The first frame at the first fix, then every 30 s (not the unit's own 10 s): 0, 30, 60, 90.
  EXPECT_EQ(frames.size(), 4u);
  EXPECT_EQ(rig.device->frame_schedule().interval_s(), 30u);
  EXPECT_TRUE(frames[0].has_header("X-Captured-At: 2026-06-01T07:00:00.000Z"));
  EXPECT_TRUE(frames[1].has_header("X-Captured-At: 2026-06-01T07:00:30.000Z"));
  rig.device->trigger_frame("button");
  rig.drive_second();
  frames = rig.of(kFramePath);
  ASSERT_EQ(frames.size(), 5u);
  EXPECT_TRUE(frames[4].has_header("X-Frame-Trigger: button"));
  EXPECT_EQ(frames[4].head().find("X-Frame-Trigger", 0) != std::string::npos, true);
  EXPECT_EQ(frames[3].head().find("X-Frame-Trigger"), std::string::npos);
}

TEST(Device, RoutineFrameIntervalAdviceStretchesTheBudgetUntilAnAnswerWithoutIt) {
  DeviceSettings s;
  s.batch_every_ms = 1000000;
  s.heartbeat_every_ms = 1000000;
  s.frame_interval_s = 10;
  Rig rig(s);
  rig.device->attach_camera(&rig.camera, &rig.frames);
  // The first answers (heartbeat, first frame) say the fleet's vision is behind: routine frames every 60 s.
  const std::string behind = http_answer(202, "", "{\"frame_id\":\"f\",\"routine_frame_interval_s\":60}");
  rig.conn.scripts = {{false, behind}, {false, behind}};
  for (int i = 0; i < 125; i++) rig.drive_second();
  auto frames = rig.of(kFramePath);
  // At 0 s, then 60 s and 120 s rather than every 10 s; the answers after the first two no longer carry the advice.
  ASSERT_GE(frames.size(), 2u);
  EXPECT_TRUE(frames[0].has_header("X-Captured-At: 2026-06-01T07:00:00.000Z"));
  EXPECT_TRUE(frames[1].has_header("X-Captured-At: 2026-06-01T07:01:00.000Z"));
  // The frame at 60 s was answered without the field: the unit is back to its own 10 s.
  EXPECT_EQ(rig.device->frame_schedule().interval_s(0), 10u);
  EXPECT_EQ(frames.size(), 2u + 6u);  // 60 s, then every 10 s: 70 … 120
  rig.device->trigger_frame("button");
  rig.drive_second();
  EXPECT_TRUE(rig.of(kFramePath).back().has_header("X-Frame-Trigger: button"));
}

TEST(FrameSchedule, AdviceHoldsFiveMinutesAndNeverShortensTheBudget) {
  FrameSchedule schedule(30);
  schedule.on_routine_advice(120, 1000);
  EXPECT_EQ(schedule.interval_s(1000), 120u);
  EXPECT_EQ(schedule.interval_s(1000 + FrameSchedule::kAdviceHoldMs - 1), 120u);
  EXPECT_EQ(schedule.interval_s(1000 + FrameSchedule::kAdviceHoldMs), 30u);
  schedule.on_routine_advice(10, 2000);
  EXPECT_EQ(schedule.interval_s(2000), 30u);
  schedule.on_routine_advice(100000, 3000);
  EXPECT_EQ(schedule.interval_s(3000), 3600u);
  schedule.on_routine_advice(-1, 4000);
  EXPECT_EQ(schedule.interval_s(4000), 30u);
}

TEST(Device, HarshBrakingTakesATriggeredFrame) {
  DeviceSettings s;
  s.frame_interval_s = 3600;
  Rig rig(s);
  rig.device->attach_camera(&rig.camera, &rig.frames);
  rig.drive_second(20);
  rig.drive_second(20);
  rig.drive_second(14);  // −6 m/s in one second
  const auto frames = rig.of(kFramePath);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(frames[1].has_header("X-Frame-Trigger: harsh_braking"));
}

TEST(Device, MultipartFramesCarryCapturedAtAsAField) {
  DeviceSettings s;
  s.multipart_frames = true;
  Rig rig(s);
  rig.device->attach_camera(&rig.camera, &rig.frames);
  rig.drive_second();
  const auto frames = rig.of(kFramePath);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_NE(frames[0].head().find("Content-Type: multipart/form-data; boundary=taxiwatch-0000000000000000\r\n"), std::string::npos);
  EXPECT_NE(frames[0].body().find("name=\"captured_at\"\r\n\r\n2026-06-01T07:00:00.000Z\r\n"), std::string::npos);
}

TEST(Device, NoFramesBeforeTheClockIsKnown) {
  Rig rig;
  rig.device->attach_camera(&rig.camera, &rig.frames);
  rig.clock.now += 5000;
  rig.settle();
  EXPECT_EQ(rig.camera.shots, 0);
}

TEST(Device, PowerCutBetweenThe2xxAndTheAcknowledgementResendsNeverLoses) {
  DeviceSettings s;
  s.batch_every_ms = 5000;
  Rig rig(s);
  for (int i = 0; i < 4; i++) rig.drive_second();
  // The fifth fix is written (40 bytes), the batch of five is answered 202, and the power goes as the unit
  // writes its acknowledgement.
  rig.flash.cut_after_bytes(40);
  rig.drive_second();
  ASSERT_EQ(rig.of(kTrackingPath).size(), 1u);
  EXPECT_EQ(Rig::fixes_in(rig.of(kTrackingPath)[0]), 5);
  EXPECT_EQ(rig.device->stats().flash_errors, 1u);
  rig.flash.power_on();
  rig.boot(s);
  rig.drive_second();
  const auto batches = rig.of(kTrackingPath);
  ASSERT_EQ(batches.size(), 2u);
  // The same 5 fixes again (the server counts them as duplicates), then the new one.
  EXPECT_EQ(Rig::fixes_in(batches[1]), 6);
  EXPECT_EQ(batches[1].body().substr(0, batches[0].body().size() - 2), batches[0].body().substr(0, batches[0].body().size() - 2));
}

TEST(Device, NeverSendsFixesOlderThanTheServerKeeps) {
  DeviceSettings s;
  s.batch_every_ms = 1000;
  Rig rig(s);
  Fix old;
  old.utc_ms = kStart - 31LL * 86400000;
  old.lat_e7 = 1;
  old.lon_e7 = 1;
  ASSERT_TRUE(rig.ring->append(old));
  rig.drive_second();
  rig.drive_second();
  EXPECT_EQ(rig.device->stats().fixes_expired, 1u);
  for (const auto& r : rig.of(kTrackingPath)) EXPECT_EQ(r.body().find("2026-05-01"), std::string::npos);
  EXPECT_EQ(rig.ring->pending(), 0u);
}

TEST(Device, KeepsOneConnectionWhileDrivingAndFreesItWhenIdle) {
  DeviceSettings s;
  s.batch_every_ms = 10000;
  Rig rig(s);
  for (int i = 0; i < 125; i++) rig.drive_second();  // heartbeats at 0 and 60 s, batches every 10 s
  EXPECT_GE(rig.device->stats().requests, 14u);
  EXPECT_EQ(rig.device->stats().connections, 1u);
  EXPECT_EQ(rig.conn.opens, 1);
  // Parked with nothing to send: the connection is closed once idle for the limit, and the next request opens one.
  rig.settle();
  rig.clock.now += s.timeouts.keep_alive_idle_ms;
  rig.settle();
  EXPECT_EQ(rig.conn.closes, 1);
  rig.drive_second();
  rig.clock.now += s.batch_every_ms;
  rig.settle();
  EXPECT_EQ(rig.device->stats().connections, 2u);
}
