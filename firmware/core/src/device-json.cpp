#include "device-json.h"

#include "civil-time.h"
#include "decimal.h"

namespace tw {

static bool field(ByteSink& out, const char* name, int64_t value, int decimals) {
  char num[32];
  const size_t n = format_fixed(value, decimals, num);
  return out.text(",\"") && out.text(name) && out.text("\":") && out.write(num, n);
}

static bool write_fix(ByteSink& out, const Fix& f) {
  char num[32];
  bool ok = out.text("{\"latitude\":") && out.write(num, format_fixed(f.lat_e7, 7, num)) && field(out, "longitude", f.lon_e7, 7);
  // Each optional field only when known and inside what the server accepts (speed ≤ 400 km/h, altitude −1 to 20 km).
  if (f.speed_ckmh != kNoU16 && f.speed_ckmh <= 40000) ok = ok && field(out, "speed", f.speed_ckmh, 2);
  if (f.heading_cdeg != kNoU16 && f.heading_cdeg < 36000) ok = ok && field(out, "heading", f.heading_cdeg, 2);
  if (f.hdop_c != kNoU16) ok = ok && field(out, "accuracy", accuracy_dm(f), 1);
  if (f.altitude_dm != kNoAltitude && f.altitude_dm >= -10000 && f.altitude_dm <= 200000) ok = ok && field(out, "altitude", f.altitude_dm, 1);
  char iso[32];
  format_iso8601(f.utc_ms, iso);
  return ok && out.text(",\"timestamp\":\"") && out.text(iso) && out.text("\"}");
}

bool write_fix_batch(ByteSink& out, const Fix* fixes, size_t count) {
  bool ok = out.text("{\"fixes\":[");
  for (size_t i = 0; ok && i < count; i++) ok = (i == 0 || out.text(",")) && write_fix(out, fixes[i]);
  return ok && out.text("]}");
}

bool write_json_string(ByteSink& out, const char* s) {
  static const char kHex[] = "0123456789abcdef";
  if (!out.text("\"")) return false;
  for (; *s; s++) {
    const unsigned char c = static_cast<unsigned char>(*s);
    if (c == '"' || c == '\\') {
      const char esc[2] = {'\\', static_cast<char>(c)};
      if (!out.write(esc, 2)) return false;
    } else if (c < 0x20) {
      const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
      if (!out.write(esc, 6)) return false;
    } else if (!out.write(s, 1)) {
      return false;
    }
  }
  return out.text("\"");
}

bool write_heartbeat(ByteSink& out, const HeartbeatInfo& info) {
  bool ok = out.text("{\"firmware_version\":") && write_json_string(out, info.firmware_version ? info.firmware_version : "unknown");
  if (info.battery_pct >= 0 && info.battery_pct <= 100) ok = ok && field(out, "battery_pct", info.battery_pct, 0);
  if (info.rssi <= 0 && info.rssi >= -150) ok = ok && field(out, "rssi", info.rssi, 0);
  ok = ok && field(out, "uptime_s", static_cast<int64_t>(info.uptime_s), 0) && field(out, "queued_items", info.queued_items, 0);
  return ok && out.text("}");
}

}  // namespace tw
