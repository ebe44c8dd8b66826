// Provisioning from the JSON the web app shows as a QR code (device setup):
//   {"taxiwatch":1,"server":"https://edge.example.com","key":"twd_…","camera_role":"cabin",
//    "wifi":{"ssid":"…","password":"…"},"fallback_servers":["https://…"]}
// "taxiwatch", "server" and "key" are required; "camera_role" (cabin | road | dual) comes from issue 12; "wifi" and
// "fallback_servers" are the firmware's additions. Unknown fields are ignored, so newer web apps still provision
// older units.
#pragma once
#include <cstddef>
#include <cstdint>

#include "endpoint-selector.h"
#include "http.h"

namespace tw {

enum class CameraRole : uint8_t { unset, cabin, road, dual };

struct Provisioning {
  Endpoint servers[kMaxEndpoints];  // [0] is "server", then "fallback_servers" in order
  size_t server_count = 0;
  char key[kMaxKeyLength + 1] = {};
  CameraRole camera_role = CameraRole::unset;
  char wifi_ssid[33] = {};      // 802.11: at most 32 bytes
  char wifi_password[64] = {};  // WPA2: at most 63 characters
};

enum class ProvisioningError : uint8_t {
  none, not_json, not_taxiwatch, unsupported_version, bad_server, missing_server, bad_key, missing_key, bad_camera_role, bad_wifi, too_many_servers
};
const char* to_string(ProvisioningError error);

ProvisioningError parse_provisioning(const char* json, size_t len, Provisioning& out);

}  // namespace tw
