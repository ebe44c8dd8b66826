#include "http.h"

#include <cstring>

#include "civil-time.h"
#include "decimal.h"

namespace tw {

static bool copy_text(char* dst, size_t capacity, const char* src, size_t len) {
  if (len >= capacity) return false;
  std::memcpy(dst, src, len);
  dst[len] = '\0';
  return true;
}

bool parse_endpoint_url(const char* url, size_t len, Endpoint& out) {
  out = Endpoint{};
  size_t i;
  if (len >= 8 && std::strncmp(url, "https://", 8) == 0) {
    out.tls = true;
    out.port = 443;
    i = 8;
  } else if (len >= 7 && std::strncmp(url, "http://", 7) == 0) {
    out.port = 80;
    i = 7;
  } else {
    return false;
  }
  const size_t host_start = i;
  while (i < len && url[i] != ':' && url[i] != '/') {
    const char c = url[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
    i++;
  }
  if (i == host_start || !copy_text(out.host, sizeof out.host, url + host_start, i - host_start)) return false;
  if (i < len && url[i] == ':') {
    int64_t port;
    const size_t port_start = ++i;
    while (i < len && url[i] != '/') i++;
    if (!parse_fixed(url + port_start, i - port_start, 0, port) || port < 1 || port > 65535 || url[port_start] == '-' || url[port_start] == '+') return false;
    out.port = static_cast<uint16_t>(port);
  }
  size_t path_end = len;
  while (path_end > i && url[path_end - 1] == '/') path_end--;
  for (size_t k = i; k < path_end; k++) {
    if (url[k] == '?' || url[k] == '#' || url[k] == ' ' || url[k] == '@') return false;
  }
  return copy_text(out.base_path, sizeof out.base_path, url + i, path_end - i);
}

bool write_request_head(ByteSink& out, const Endpoint& endpoint, const char* user_agent, const RequestHead& head) {
  char num[24];
  bool ok = out.text("POST ") && out.text(endpoint.base_path) && out.text(head.path) && out.text(" HTTP/1.1\r\nHost: ") && out.text(endpoint.host);
  if (endpoint.port != (endpoint.tls ? 443 : 80)) ok = ok && out.text(":") && out.write(num, format_uint(endpoint.port, num));
  ok = ok && out.text("\r\n");
  if (head.key) ok = ok && out.text("Authorization: Bearer ") && out.text(head.key) && out.text("\r\n");
  ok = ok && out.text("User-Agent: ") && out.text(user_agent) && out.text("\r\n");
  if (head.content_type) ok = ok && out.text("Content-Type: ") && out.text(head.content_type) && out.text("\r\n");
  ok = ok && out.text("Content-Length: ") && out.write(num, format_uint(head.content_length, num)) && out.text("\r\n");
  for (int k = 0; k < head.extra_count; k++) ok = ok && out.text(head.extra[k].name) && out.text(": ") && out.text(head.extra[k].value) && out.text("\r\n");
  if (!head.keep_alive) ok = ok && out.text("Connection: close\r\n");
  return ok && out.text("\r\n");
}

bool ConnectionSink::write(const void* data, size_t len) {
  const uint8_t* p = static_cast<const uint8_t*>(data);
  while (len > 0 && !failed_) {
    if (used_ == sizeof buf_ && !flush()) return false;
    const size_t n = len < sizeof buf_ - used_ ? len : sizeof buf_ - used_;
    std::memcpy(buf_ + used_, p, n);
    used_ += n;
    p += n;
    len -= n;
  }
  return !failed_;
}

bool ConnectionSink::flush() {
  if (failed_) return false;
  if (used_ > 0 && connection_.write(buf_, used_, timeout_ms_) != static_cast<int>(used_)) failed_ = true;
  used_ = 0;
  return !failed_;
}

namespace {

bool name_is(const char* line, size_t name_len, const char* name) {
  if (std::strlen(name) != name_len) return false;
  for (size_t i = 0; i < name_len; i++) {
    char c = line[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != name[i]) return false;
  }
  return true;
}

/** Finds "name":"value" in a JSON text and copies value (no escapes expected in codes and reasons). */
void json_string_field(const char* body, size_t len, const char* name, char* dst, size_t capacity) {
  char pattern[32];
  const size_t n = std::strlen(name);
  if (n + 4 > sizeof pattern) return;
  pattern[0] = '"';
  std::memcpy(pattern + 1, name, n);
  std::memcpy(pattern + 1 + n, "\":\"", 4);
  const size_t plen = n + 4;
  for (size_t i = 0; i + plen <= len; i++) {
    if (std::memcmp(body + i, pattern, plen) != 0) continue;
    size_t k = i + plen, out = 0;
    while (k < len && body[k] != '"' && out + 1 < capacity) dst[out++] = body[k++];
    dst[out] = '\0';
    return;
  }
}

/** Finds "name":<digits> in a JSON text; -1 when absent. */
int32_t json_count_field(const char* body, size_t len, const char* name) {
  char pattern[32];
  const size_t n = std::strlen(name);
  if (n + 3 > sizeof pattern) return -1;
  pattern[0] = '"';
  std::memcpy(pattern + 1, name, n);
  std::memcpy(pattern + 1 + n, "\":", 3);
  const size_t plen = n + 3;
  for (size_t i = 0; i + plen <= len; i++) {
    if (std::memcmp(body + i, pattern, plen) != 0) continue;
    size_t k = i + plen;
    int32_t value = 0;
    bool digits = false;
    while (k < len && body[k] >= '0' && body[k] <= '9' && value < 100000000) value = value * 10 + (body[k++] - '0'), digits = true;
    return digits ? value : -1;
  }
  return -1;
}

class ResponseParser {
 public:
  explicit ResponseParser(HttpResponse& out) : out_(out) {}

  /** Feeds bytes; false when the head is malformed. */
  bool feed(const uint8_t* data, size_t len) {
    for (size_t i = 0; i < len; i++) {
      const char c = static_cast<char>(data[i]);
      if (in_body_) {
        if (chunked_) chunked_byte(c);
        else body_byte(c);
        continue;
      }
      if (c == '\n') {
        if (!line(line_, line_len_ > 0 && line_[line_len_ - 1] == '\r' ? line_len_ - 1 : line_len_)) return false;
        line_len_ = 0;
      } else if (line_len_ < sizeof line_) {
        line_[line_len_++] = c;  // longer header lines are cut: none the device reads is that long
      }
    }
    return true;
  }

  bool got_status() const { return out_.status != 0; }
  bool head_complete() const { return in_body_; }
  /** True once the body's end has arrived: Content-Length bytes, or the last chunk and its trailer (a server may
   *  keep the socket open a little longer, or for the next request). */
  bool body_complete() const {
    if (!in_body_) return false;
    if (chunked_) return chunk_state_ == ChunkState::done;
    return content_length_ >= 0 && body_seen_ >= static_cast<uint64_t>(content_length_);
  }

  void finish() {
    // read_response stops as soon as the body is complete, so a complete body is one the read ended at (not a close,
    // a time-out or the size limit).
    out_.reusable = http11_ && !close_ && !broken_ && body_complete();
    json_string_field(body_, body_len_, "code", out_.error_code, sizeof out_.error_code);
    json_string_field(body_, body_len_, "reason", out_.reason, sizeof out_.reason);
    out_.implausible = json_count_field(body_, body_len_, "implausible");
    out_.routine_interval_s = json_count_field(body_, body_len_, "routine_frame_interval_s");
    out_.date_ms = date_;
    if (retry_after_date_ >= 0 && date_ >= 0) {
      const int64_t s = (retry_after_date_ - date_) / 1000;
      out_.retry_after_s = s < 0 ? 0 : (s > 86400 ? 86400 : static_cast<int32_t>(s));
    }
  }

 private:
  bool line(const char* text, size_t len) {
    if (!got_status()) {
      // "HTTP/1.1 202 Accepted"
      if (len < 12 || std::strncmp(text, "HTTP/1.", 7) != 0 || text[8] != ' ') return false;
      int64_t status;
      if (!parse_fixed(text + 9, 3, 0, status) || status < 100 || status > 599) return false;
      out_.status = static_cast<int>(status);
      http11_ = text[7] == '1';
      return true;
    }
    if (len == 0) {
      if (out_.status < 200) {  // an interim 100 Continue: the real status line follows
        out_.status = 0;
        return true;
      }
      in_body_ = true;
      if (out_.status == 204 || out_.status == 304) content_length_ = 0, chunked_ = false;  // never a body
      return true;
    }
    const char* colon = static_cast<const char*>(std::memchr(text, ':', len));
    if (!colon) return true;  // not a header; ignore rather than fail a request the server answered
    const size_t name_len = static_cast<size_t>(colon - text);
    const char* value = colon + 1;
    size_t value_len = len - name_len - 1;
    while (value_len > 0 && (*value == ' ' || *value == '\t')) value++, value_len--;
    while (value_len > 0 && (value[value_len - 1] == ' ' || value[value_len - 1] == '\t')) value_len--;
    int64_t number;
    if (name_is(text, name_len, "retry-after")) {
      if (parse_fixed(value, value_len, 0, number) && number >= 0) out_.retry_after_s = number > 86400 ? 86400 : static_cast<int32_t>(number);
      else parse_http_date(value, value_len, retry_after_date_);
    } else if (name_is(text, name_len, "content-length")) {
      if (parse_fixed(value, value_len, 0, number) && number >= 0) content_length_ = number;
    } else if (name_is(text, name_len, "transfer-encoding")) {
      chunked_ = has_token(value, value_len, "chunked");
    } else if (name_is(text, name_len, "connection")) {
      close_ = close_ || has_token(value, value_len, "close");
    } else if (name_is(text, name_len, "keep-alive")) {
      const char* at = static_cast<const char*>(memmem_ci(value, value_len, "timeout="));
      if (at) {
        const char* digits = at + 8;
        size_t n = 0;
        while (digits + n < value + value_len && digits[n] >= '0' && digits[n] <= '9') n++;
        if (parse_fixed(digits, n, 0, number) && number >= 0) out_.keep_alive_s = number > 86400 ? 86400 : static_cast<int32_t>(number);
      }
    } else if (name_is(text, name_len, "date")) {
      parse_http_date(value, value_len, date_);
    } else if (name_is(text, name_len, "x-frame-interval")) {
      if (parse_fixed(value, value_len, 0, number) && number > 0 && number <= 86400) out_.frame_interval_s = static_cast<int32_t>(number);
    } else if (name_is(text, name_len, "x-device-next-key")) {
      copy_text(out_.next_key, sizeof out_.next_key, value, value_len);
    } else if (name_is(text, name_len, "x-device-next-key-expires-at")) {
      copy_text(out_.next_key_expires_at, sizeof out_.next_key_expires_at, value, value_len);
    }
    return true;
  }

  void body_byte(char c) {
    if (content_length_ >= 0 && body_seen_ >= static_cast<uint64_t>(content_length_)) {
      broken_ = true;  // bytes past the answer: the server does not frame its answers as the device reads them
      return;
    }
    body_seen_++;
    if (body_len_ < sizeof body_ - 1) body_[body_len_++] = c;
  }

  /** Transfer-Encoding: chunked — hex size [;extension] CRLF, data CRLF, …, 0 CRLF, trailer lines, CRLF. */
  void chunked_byte(char c) {
    switch (chunk_state_) {
      case ChunkState::size:
        if (c == '\n') {
          chunk_state_ = chunk_digits_ == 0 ? ChunkState::done : (chunk_left_ == 0 ? ChunkState::trailer : ChunkState::data);
          if (chunk_digits_ == 0) broken_ = true;
          chunk_digits_ = 0;
          chunk_extension_ = false;
        } else if (!chunk_extension_ && hex_value(c) >= 0 && chunk_left_ < (uint64_t(1) << 32)) {
          chunk_left_ = chunk_left_ * 16 + uint64_t(hex_value(c));
          chunk_digits_++;
        } else if (c == ';') {
          chunk_extension_ = true;
        } else if (c != '\r' && !chunk_extension_) {
          broken_ = true;
          chunk_state_ = ChunkState::done;
        }
        return;
      case ChunkState::data:
        body_seen_++;
        if (body_len_ < sizeof body_ - 1) body_[body_len_++] = c;
        if (--chunk_left_ == 0) chunk_state_ = ChunkState::data_end;
        return;
      case ChunkState::data_end:
        if (c == '\n') chunk_state_ = ChunkState::size;
        return;
      case ChunkState::trailer:
        if (c == '\n') {
          if (trailer_len_ == 0) chunk_state_ = ChunkState::done;
          trailer_len_ = 0;
        } else if (c != '\r') {
          trailer_len_++;
        }
        return;
      case ChunkState::done:
        broken_ = true;
        return;
    }
  }

  /** The first occurrence of `needle` (lower case) in `text`, in any case; null when absent. */
  static const char* memmem_ci(const char* text, size_t len, const char* needle) {
    const size_t n = std::strlen(needle);
    for (size_t i = 0; i + n <= len; i++) {
      if (name_is(text + i, n, needle)) return text + i;
    }
    return nullptr;
  }

  /** A comma-separated header value holds `token` (lower case), in any case. */
  static bool has_token(const char* value, size_t len, const char* token) {
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
      if (i < len && value[i] != ',') continue;
      size_t a = start, b = i;
      while (a < b && (value[a] == ' ' || value[a] == '\t')) a++;
      while (b > a && (value[b - 1] == ' ' || value[b - 1] == '\t')) b--;
      if (name_is(value + a, b - a, token)) return true;
      start = i + 1;
    }
    return false;
  }

  enum class ChunkState : uint8_t { size, data, data_end, trailer, done };

  HttpResponse& out_;
  char line_[256];
  size_t line_len_ = 0;
  bool in_body_ = false;
  char body_[512];
  size_t body_len_ = 0;
  uint64_t body_seen_ = 0;
  int64_t content_length_ = -1;
  int64_t retry_after_date_ = -1, date_ = -1;
  bool http11_ = false, close_ = false, chunked_ = false, broken_ = false;
  ChunkState chunk_state_ = ChunkState::size;
  bool chunk_extension_ = false;
  uint8_t chunk_digits_ = 0;
  uint16_t trailer_len_ = 0;
  uint64_t chunk_left_ = 0;
};

}  // namespace

ReadOutcome read_response(Connection& connection, uint32_t timeout_ms, HttpResponse& out) {
  out = HttpResponse{};
  ResponseParser parser(out);
  uint8_t chunk[256];
  size_t total = 0;
  for (;;) {
    const int n = connection.read(chunk, sizeof chunk, timeout_ms);
    if (n > 0) {
      total += static_cast<size_t>(n);
      if (!parser.feed(chunk, static_cast<size_t>(n))) return ReadOutcome::malformed;
      // The device needs the status and headers, and a little of the body for the error's reason; past 4 KiB
      // it stops reading rather than download a page a misconfigured proxy sent.
      if (parser.body_complete() || (parser.head_complete() && total > 4096)) break;
      continue;
    }
    if (n == kIoClosed) break;
    if (parser.head_complete()) break;  // the answer is known; a body that stalls does not change it
    // A reset before the first byte is a close without an answer (a kept connection the server had closed).
    if (n == kIoError && total == 0) return ReadOutcome::closed_without_answer;
    return n == kIoTimeout ? ReadOutcome::timeout : ReadOutcome::error;
  }
  if (!parser.got_status()) return total == 0 ? ReadOutcome::closed_without_answer : ReadOutcome::malformed;
  parser.finish();
  return ReadOutcome::answered;
}

}  // namespace tw
