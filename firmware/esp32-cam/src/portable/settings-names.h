// The Preferences (NVS) namespace and key names the sketch uses; NVS limits both to 15 characters.
#pragma once
#include <string>

namespace tw::esp32 {

constexpr const char* kNamespace = "taxiwatch";
constexpr const char* kProvisioningKey = "provisioning";  // the Provisioning struct as last accepted
constexpr const char* kKeysKey = "tw.keys";              // KeyRing's atomic record

static_assert(std::char_traits<char>::length(kNamespace) <= 15, "NVS namespace names are at most 15 characters");
static_assert(std::char_traits<char>::length(kProvisioningKey) <= 15, "NVS key names are at most 15 characters");
static_assert(std::char_traits<char>::length(kKeysKey) <= 15, "NVS key names are at most 15 characters");

}  // namespace tw::esp32
