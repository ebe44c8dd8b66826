#include "provisioning.h"

#include <cstring>

#include "key-ring.h"

namespace tw {

const char* to_string(ProvisioningError error) {
  static const char* const kNames[] = {"none", "not_json", "not_taxiwatch", "unsupported_version", "bad_server", "missing_server",
                                       "bad_key", "missing_key", "bad_camera_role", "bad_wifi", "too_many_servers"};
  return kNames[static_cast<int>(error)];
}

namespace {

/** A forward-only reader over one JSON text; enough to read strings and skip any value. */
class JsonReader {
 public:
  JsonReader(const char* text, size_t len) : p_(text), end_(text + len) {}

  bool consume(char c) {
    skip_space();
    if (p_ < end_ && *p_ == c) return ++p_, true;
    return false;
  }
  bool at_end() {
    skip_space();
    return p_ == end_;
  }
  char peek() {
    skip_space();
    return p_ < end_ ? *p_ : '\0';
  }

  /** Reads a string into dst (UTF-8, NUL-terminated); `fits` is false when it was longer than capacity - 1. */
  bool string(char* dst, size_t capacity, bool& fits) {
    fits = true;
    if (!consume('"')) return false;
    size_t n = 0;
    auto put = [&](char c) {
      if (n + 1 < capacity) dst[n++] = c;
      else fits = false;
    };
    while (p_ < end_ && *p_ != '"') {
      char c = *p_++;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        put(c);
        continue;
      }
      if (p_ == end_) return false;
      c = *p_++;
      switch (c) {
        case '"': case '\\': case '/': put(c); break;
        case 'b': put('\b'); break;
        case 'f': put('\f'); break;
        case 'n': put('\n'); break;
        case 'r': put('\r'); break;
        case 't': put('\t'); break;
        case 'u': {
          uint32_t cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair
            uint32_t low;
            if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
            p_ += 2;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          if (cp < 0x80) {
            put(char(cp));
          } else if (cp < 0x800) {
            put(char(0xC0 | (cp >> 6))), put(char(0x80 | (cp & 0x3F)));
          } else if (cp < 0x10000) {
            put(char(0xE0 | (cp >> 12))), put(char(0x80 | ((cp >> 6) & 0x3F))), put(char(0x80 | (cp & 0x3F)));
          } else {
            put(char(0xF0 | (cp >> 18))), put(char(0x80 | ((cp >> 12) & 0x3F))), put(char(0x80 | ((cp >> 6) & 0x3F))), put(char(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default: return false;
      }
    }
    if (p_ == end_) return false;
    p_++;
    if (capacity) dst[n < capacity ? n : capacity - 1] = '\0';
    return true;
  }

  /** Reads a non-negative integer. */
  bool integer(int64_t& out) {
    skip_space();
    const char* start = p_;
    out = 0;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9' && out < 1000000000) out = out * 10 + (*p_++ - '0');
    return p_ != start && (p_ == end_ || (*p_ != '.' && *p_ != 'e' && *p_ != 'E'));
  }

  /** Skips one value of any kind, nested up to a small depth. */
  bool skip(int depth = 0) {
    if (depth > 16) return false;
    const char c = peek();
    char scratch[1];
    bool fits;
    if (c == '"') return string(scratch, sizeof scratch, fits);
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      p_++;
      if (consume(close)) return true;
      do {
        if (c == '{' && (!string(scratch, sizeof scratch, fits) || !consume(':'))) return false;
        if (!skip(depth + 1)) return false;
      } while (consume(','));
      return consume(close);
    }
    const char* start = p_;
    while (p_ < end_ && (std::strchr("+-.eE", *p_) || (*p_ >= '0' && *p_ <= '9') || (*p_ >= 'a' && *p_ <= 'z'))) p_++;
    const size_t n = static_cast<size_t>(p_ - start);
    if (n == 0) return false;
    if ((*start >= 'a' && *start <= 'z')) return (n == 4 && !std::strncmp(start, "true", 4)) || (n == 4 && !std::strncmp(start, "null", 4)) || (n == 5 && !std::strncmp(start, "false", 5));
    return true;
  }

 private:
  void skip_space() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) p_++;
  }
  bool hex4(uint32_t& out) {
    out = 0;
    for (int i = 0; i < 4; i++, p_++) {
      if (p_ == end_) return false;
      const char c = *p_;
      const int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (v < 0) return false;
      out = out * 16 + uint32_t(v);
    }
    return true;
  }

  const char* p_;
  const char* end_;
};

bool read_server(JsonReader& json, Endpoint& out) {
  char url[160];
  bool fits;
  return json.string(url, sizeof url, fits) && fits && parse_endpoint_url(url, std::strlen(url), out);
}

ProvisioningError read_wifi(JsonReader& json, Provisioning& out) {
  if (!json.consume('{')) return ProvisioningError::bad_wifi;
  if (json.consume('}')) return ProvisioningError::none;
  do {
    char name[24];
    bool fits;
    if (!json.string(name, sizeof name, fits) || !json.consume(':')) return ProvisioningError::not_json;
    if (!std::strcmp(name, "ssid")) {
      if (!json.string(out.wifi_ssid, sizeof out.wifi_ssid, fits) || !fits || !out.wifi_ssid[0]) return ProvisioningError::bad_wifi;
    } else if (!std::strcmp(name, "password")) {
      if (!json.string(out.wifi_password, sizeof out.wifi_password, fits) || !fits) return ProvisioningError::bad_wifi;
    } else if (!json.skip()) {
      return ProvisioningError::not_json;
    }
  } while (json.consume(','));
  return json.consume('}') ? ProvisioningError::none : ProvisioningError::not_json;
}

}  // namespace

ProvisioningError parse_provisioning(const char* text, size_t len, Provisioning& out) {
  out = Provisioning{};
  JsonReader json(text, len);
  bool marked = false, have_server = false;
  Endpoint fallbacks[kMaxEndpoints];
  size_t fallback_count = 0;
  if (!json.consume('{')) return ProvisioningError::not_json;
  if (!json.consume('}')) {
    do {
      char name[32];
      bool fits;
      if (!json.string(name, sizeof name, fits) || !json.consume(':')) return ProvisioningError::not_json;
      if (!std::strcmp(name, "taxiwatch")) {
        int64_t version;
        if (!json.integer(version)) return ProvisioningError::not_taxiwatch;
        if (version != 1) return ProvisioningError::unsupported_version;
        marked = true;
      } else if (!std::strcmp(name, "server")) {
        if (!read_server(json, out.servers[0])) return ProvisioningError::bad_server;
        have_server = true;
      } else if (!std::strcmp(name, "key")) {
        if (!json.string(out.key, sizeof out.key, fits) || !fits || !KeyRing::valid_key(out.key)) return ProvisioningError::bad_key;
      } else if (!std::strcmp(name, "camera_role")) {
        char role[8];
        if (!json.string(role, sizeof role, fits)) return ProvisioningError::bad_camera_role;
        if (!std::strcmp(role, "cabin")) out.camera_role = CameraRole::cabin;
        else if (!std::strcmp(role, "road")) out.camera_role = CameraRole::road;
        else if (!std::strcmp(role, "dual")) out.camera_role = CameraRole::dual;
        else return ProvisioningError::bad_camera_role;
      } else if (!std::strcmp(name, "wifi")) {
        const ProvisioningError error = read_wifi(json, out);
        if (error != ProvisioningError::none) return error;
      } else if (!std::strcmp(name, "fallback_servers")) {
        if (!json.consume('[')) return ProvisioningError::bad_server;
        if (!json.consume(']')) {
          do {
            if (fallback_count == kMaxEndpoints - 1) return ProvisioningError::too_many_servers;
            if (!read_server(json, fallbacks[fallback_count++])) return ProvisioningError::bad_server;
          } while (json.consume(','));
          if (!json.consume(']')) return ProvisioningError::not_json;
        }
      } else if (!json.skip()) {
        return ProvisioningError::not_json;
      }
    } while (json.consume(','));
    if (!json.consume('}')) return ProvisioningError::not_json;
  }
  if (!json.at_end()) return ProvisioningError::not_json;
  if (!marked) return ProvisioningError::not_taxiwatch;
  if (!have_server) return ProvisioningError::missing_server;
  if (!out.key[0]) return ProvisioningError::missing_key;
  out.server_count = 1;
  for (size_t i = 0; i < fallback_count; i++) out.servers[out.server_count++] = fallbacks[i];
  return ProvisioningError::none;
}

}  // namespace tw
