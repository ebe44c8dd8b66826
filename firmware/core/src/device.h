// The camera unit's behaviour in one place, driven by `poll()` from the platform's main loop: GPS bytes become
// fixes in the flash ring; frames are captured on the frame budget or a local trigger; at most one request per
// poll goes to the first endpoint that is not backing off — a heartbeat when due, else a batch of fixes when due,
// else the next frame — over a connection kept open between requests (UploadSession). What an answer means is
// decided here, by status:
//   2xx stored → acknowledge (fixes) or drop (frame); pick up X-Device-Next-Key and X-Frame-Interval
//   408, 429, 5xx, 404, no answer → keep it, back off that endpoint (Retry-After honoured), fail over
//   401 → fall back to the previous key after a rotation, else stop and probe now and then until re-provisioned
//   other 4xx → the server will never take it as it is: drop it and count it
#pragma once
#include <cstddef>
#include <cstdint>

#include "endpoint-selector.h"
#include "fix.h"
#include "flash-ring.h"
#include "frame-queue.h"
#include "gps-receiver.h"
#include "key-ring.h"
#include "ports.h"
#include "uploads.h"
#include "utc-clock.h"

#ifndef TW_MAX_BATCH
#define TW_MAX_BATCH 100
#endif

namespace tw {

constexpr size_t kMaxBatch = TW_MAX_BATCH;
static_assert(kMaxBatch >= 1 && kMaxBatch <= 500, "the server takes at most 500 fixes per request");

struct DeviceSettings {
  const char* firmware_version = "0.1.0";
  const char* user_agent = "TaxiWatch-ESP32/0.1.0";
  uint16_t batch_max = kMaxBatch;
  uint32_t batch_every_ms = 30000;        // pending fixes go out at least this often (at once when a batch is full)
  uint32_t heartbeat_every_ms = 60000;
  uint32_t frame_interval_s = 60;         // routine frames when the server sets no X-Frame-Interval
  uint32_t harsh_braking_ms2_x10 = 35;    // 3.5 m/s², the server's default harsh-braking threshold
  bool multipart_frames = false;
  uint32_t refused_probe_ms = 600000;     // after a refused key, one probe every 10 minutes
  uint32_t max_fix_age_days = 29;         // the server keeps 30 days; older fixes are dropped unsent
  Timeouts timeouts;
  BackoffSettings backoff;
};

struct DeviceStats {
  uint32_t fixes_recorded = 0, fixes_stored = 0, fixes_rejected = 0, fixes_expired = 0, fixes_implausible = 0;
  uint32_t frames_captured = 0, frames_stored = 0, frames_rejected = 0, camera_failures = 0;
  uint32_t heartbeats = 0, requests = 0, retries = 0, failovers = 0, key_rotations = 0, key_reverts = 0;
  uint32_t connections = 0;  // opened: fewer than requests while the server keeps them alive
  uint32_t flash_errors = 0;
};

class Device {
 public:
  Device(Clock& clock, Connection& connection, Random& random, FlashRing& ring, KeyRing& keys, const DeviceSettings& settings = DeviceSettings());

  bool add_endpoint(const Endpoint& endpoint) { return endpoints_.add(endpoint); }
  void attach_camera(Camera* camera, FrameQueue* frames) {
    camera_ = camera;
    frames_ = frames;
  }
  /** Signal strength and battery for the heartbeat, when the platform knows them. */
  void set_rssi(int dbm) { rssi_ = dbm; }
  void set_battery_pct(int pct) { battery_pct_ = pct; }

  /** One byte from the GPS UART. */
  void on_gps_byte(char c);
  /** A fix the filter accepted (on_gps_byte calls it; tests may call it directly). */
  void record_fix(const Fix& fix);
  /** A local trigger (button, impact, …): the next poll takes a frame outside the budget, tagged with `reason`. */
  void trigger_frame(const char* reason);

  /** Does what is due now; returns 0 when it did something (call again), else ms until something will be due. */
  uint32_t poll();

  const DeviceStats& stats() const { return stats_; }
  const GpsReceiver& gps() const { return gps_; }
  const UtcClock& utc() const { return utc_; }
  const FrameSchedule& frame_schedule() const { return schedule_; }
  size_t frames_queued() const { return frames_ ? frames_->size() : 0; }

 private:
  enum class Sent : uint8_t { stored, rejected, retry, refused };
  Sent send(const char* path, const char* content_type, const Header* extra, int extra_count, const RequestBody& body);
  bool capture_due(uint64_t now);
  bool send_heartbeat(uint64_t now);
  bool send_fixes(uint64_t now);
  bool send_frame();
  void watch_braking(const Fix& fix);

  Clock& clock_;
  Random& random_;
  FlashRing& ring_;
  KeyRing& keys_;
  DeviceSettings settings_;
  UploadSession session_;
  GpsReceiver gps_;
  UtcClock utc_;
  EndpointSelector endpoints_;
  FrameSchedule schedule_;
  Camera* camera_ = nullptr;
  FrameQueue* frames_ = nullptr;
  DeviceStats stats_;
  Fix batch_[kMaxBatch];
  Fix previous_fix_;
  bool have_previous_fix_ = false;
  char trigger_[kMaxTriggerLength + 1] = {};
  uint64_t last_braking_trigger_ms_ = 0;
  uint64_t last_heartbeat_ms_ = 0, last_fix_send_ms_ = 0, refused_until_ms_ = 0;
  uint32_t last_implausible_ = 0;  // fixes the last 2xx fix answer said it dropped as jumps
  bool heartbeat_sent_ = false;
  int last_endpoint_ = -1;
  int64_t last_captured_ms_ = 0;
  int rssi_ = 1, battery_pct_ = -1;
};

}  // namespace tw
