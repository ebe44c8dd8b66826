// The device key and its rotation (BRIEF "Device protocol additions"): a 2xx answer may carry X-Device-Next-Key
// (+ X-Device-Next-Key-Expires-At); the device saves it in one atomic write together with the key it replaces and
// uses it from the next request. The first 2xx with the new key confirms it (the server has then retired the old
// one). Should the new key be refused before that, the device goes back to the old one, which still works.
#pragma once
#include <cstddef>
#include <cstdint>

#include "http.h"
#include "ports.h"

namespace tw {

enum class KeyEvent : uint8_t { none, rotated, confirmed, reverted, refused, save_failed };

class KeyRing {
 public:
  explicit KeyRing(SettingsStore& store) : store_(store) {}

  /** Loads the saved credentials; false when there are none (or they fail their check): provision first. */
  bool load();
  /** Sets a key from provisioning (QR), forgetting any rotation in progress. Saved before it returns true. */
  bool provision(const char* key);
  bool has_key() const { return state_.key[0] != '\0'; }
  const char* current() const { return state_.key; }
  const char* previous() const { return state_.previous; }
  /** When the current key expires (ms since the epoch), or -1 when unknown. */
  int64_t expires_at_ms() const { return state_.expires_at_ms; }
  /** After a 401 with no older key to fall back on, until provisioned again (or a later 2xx proves otherwise). */
  bool refused() const { return refused_; }

  /** What the answer to a request made with `used_key` means for the keys. */
  KeyEvent on_answer(const char* used_key, const HttpResponse& response);

  static bool valid_key(const char* key);
  static constexpr const char* kSettingName = "tw.keys";

 private:
  struct State {
    uint32_t magic;
    uint32_t reserved;  // no padding anywhere before crc: the CRC covers every byte
    char key[kMaxKeyLength + 1];
    char previous[kMaxKeyLength + 1];  // the key before a rotation, until the new one is confirmed
    int64_t expires_at_ms;
    uint32_t crc;
  };
  bool save(const State& next);

  SettingsStore& store_;
  State state_ = {};
  bool refused_ = false;
};

}  // namespace tw
