#include "key-ring.h"

#include <cstring>

#include "civil-time.h"
#include "crc32.h"

namespace tw {

static constexpr uint32_t kMagic = 0x314B5754;  // "TWK1"

bool KeyRing::valid_key(const char* key) {
  const size_t len = std::strlen(key);
  if (len < 16 || len > kMaxKeyLength || std::strncmp(key, "twd_", 4) != 0) return false;
  for (size_t i = 4; i < len; i++) {
    const char c = key[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool KeyRing::load() {
  State loaded;
  if (store_.load(kSettingName, &loaded, sizeof loaded) != sizeof loaded) return false;
  if (loaded.magic != kMagic || crc32(&loaded, offsetof(State, crc)) != loaded.crc) return false;
  loaded.key[kMaxKeyLength] = loaded.previous[kMaxKeyLength] = '\0';
  if (!valid_key(loaded.key)) return false;
  state_ = loaded;
  refused_ = false;
  return true;
}

bool KeyRing::save(const State& next) {
  State sealed = next;
  sealed.magic = kMagic;
  sealed.crc = crc32(&sealed, offsetof(State, crc));
  if (!store_.save(kSettingName, &sealed, sizeof sealed)) return false;
  state_ = sealed;
  return true;
}

bool KeyRing::provision(const char* key) {
  if (!valid_key(key)) return false;
  State next = {};
  std::strcpy(next.key, key);
  next.expires_at_ms = -1;
  if (!save(next)) return false;
  refused_ = false;
  return true;
}

KeyEvent KeyRing::on_answer(const char* used_key, const HttpResponse& response) {
  const bool used_current = std::strcmp(used_key, state_.key) == 0;
  if (response.status >= 200 && response.status < 300) {
    KeyEvent event = KeyEvent::none;
    if (used_current) refused_ = false;
    if (used_current && state_.previous[0] != '\0') {
      State next = state_;
      next.previous[0] = '\0';
      if (!save(next)) return KeyEvent::save_failed;
      event = KeyEvent::confirmed;
    }
    const char* offered = response.next_key;
    // Only an answer to the current key may move it on; the offer is repeated until the new key is used.
    if (used_current && offered[0] != '\0' && std::strcmp(offered, state_.key) != 0 && valid_key(offered)) {
      State next = state_;
      std::strcpy(next.previous, state_.key);
      std::strcpy(next.key, offered);
      int64_t expires;
      const char* at = response.next_key_expires_at;
      next.expires_at_ms = parse_iso8601(at, std::strlen(at), expires) ? expires : -1;
      return save(next) ? KeyEvent::rotated : KeyEvent::save_failed;
    }
    return event;
  }
  if (response.status != 401) return KeyEvent::none;
  if (!used_current) return KeyEvent::none;  // an answer to a key already replaced
  if (state_.previous[0] != '\0') {
    State next = state_;
    std::strcpy(next.key, state_.previous);
    next.previous[0] = '\0';
    next.expires_at_ms = -1;
    return save(next) ? KeyEvent::reverted : KeyEvent::save_failed;
  }
  refused_ = true;
  return KeyEvent::refused;
}

}  // namespace tw
