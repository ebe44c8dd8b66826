// The JSON bodies of device protocol v1: a batch of fixes for POST /api/v1/tracking/location and the heartbeat for
// POST /api/v1/devices/heartbeat. Written straight to a sink, so a 500-fix batch needs no buffer of its own.
#pragma once
#include <cstddef>
#include <cstdint>

#include "byte-sink.h"
#include "fix.h"

namespace tw {

/** {"fixes":[{"latitude":…,"longitude":…,"speed":…,"heading":…,"accuracy":…,"altitude":…,"timestamp":"…Z"},…]} */
bool write_fix_batch(ByteSink& out, const Fix* fixes, size_t count);

struct HeartbeatInfo {
  const char* firmware_version = nullptr;
  int battery_pct = -1;  // -1: no battery reading (the ESP32-CAM has none)
  int rssi = 1;          // dBm, ≤ 0; 1: unknown
  uint64_t uptime_s = 0;
  uint32_t queued_items = 0;
};

bool write_heartbeat(ByteSink& out, const HeartbeatInfo& info);

/** Writes s as a JSON string literal (quotes included), escaping what JSON requires. */
bool write_json_string(ByteSink& out, const char* s);

}  // namespace tw
