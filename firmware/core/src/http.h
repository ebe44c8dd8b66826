// Just enough HTTP/1.1 for device protocol v1 over a Connection: endpoint URLs, request heads, a buffered writer
// and a response reader that keeps the status and the headers the device acts on. The reader finds where an answer
// ends (Content-Length, chunked, or the server's close) and says whether the connection may carry another request.
#pragma once
#include <cstddef>
#include <cstdint>

#include "byte-sink.h"
#include "ports.h"

namespace tw {

constexpr size_t kMaxHost = 63;
constexpr size_t kMaxBasePath = 63;
constexpr size_t kMaxKeyLength = 95;

struct Endpoint {
  char host[kMaxHost + 1] = {};
  uint16_t port = 0;
  bool tls = false;
  char base_path[kMaxBasePath + 1] = {};  // without a trailing slash; "" for the root
};

/** "https://edge.example.com[:port][/prefix]" → Endpoint. IPv6 literals, user info, queries are refused. */
bool parse_endpoint_url(const char* url, size_t len, Endpoint& out);

struct Header {
  const char* name;
  const char* value;
};

struct RequestHead {
  const char* path = "/";
  const char* key = nullptr;  // device key, sent as Authorization: Bearer
  const char* content_type = nullptr;
  size_t content_length = 0;
  Header extra[3] = {};
  int extra_count = 0;
  bool keep_alive = false;  // false: "Connection: close", one request on this connection
};

/** POST <base_path><path> HTTP/1.1 with Host, Authorization, User-Agent, Content-Type, Content-Length (and
 *  Connection: close unless the head keeps the connection alive, which HTTP/1.1 does without a header). */
bool write_request_head(ByteSink& out, const Endpoint& endpoint, const char* user_agent, const RequestHead& head);

/** Buffers writes into 512-byte packets (a TCP segment per header line would be wasteful on cellular). */
class ConnectionSink : public ByteSink {
 public:
  ConnectionSink(Connection& connection, uint32_t timeout_ms) : connection_(connection), timeout_ms_(timeout_ms) {}
  bool write(const void* data, size_t len) override;
  bool flush();

 private:
  Connection& connection_;
  uint32_t timeout_ms_;
  uint8_t buf_[512];
  size_t used_ = 0;
  bool failed_ = false;
};

struct HttpResponse {
  int status = 0;
  int32_t retry_after_s = -1;      // from Retry-After (seconds or an HTTP date relative to Date)
  int32_t frame_interval_s = -1;   // X-Frame-Interval
  char next_key[kMaxKeyLength + 1] = {};           // X-Device-Next-Key
  char next_key_expires_at[40] = {};               // X-Device-Next-Key-Expires-At
  int64_t date_ms = -1;  // the server's Date header: the device's clock until the GPS has a fix
  char error_code[32] = {};  // error.code of a JSON error body
  char reason[40] = {};      // error.details.reason
  int32_t implausible = -1;  // a fix answer's "implausible": fixes the server dropped as GPS jumps
  int32_t routine_interval_s = -1;  // "routine_frame_interval_s": the fleet's vision is behind, send fewer routine frames
  bool reusable = false;  // the whole answer was read and the server keeps the connection open for another request
  int32_t keep_alive_s = -1;  // Keep-Alive: timeout=N — the server closes the connection after N idle seconds
};

enum class ReadOutcome : uint8_t { answered, closed_without_answer, timeout, error, malformed };

/** Reads the status line, the headers and (up to a small limit) the body; returns at the answer's end (its
 *  Content-Length, its last chunk) or once the server closes. */
ReadOutcome read_response(Connection& connection, uint32_t timeout_ms, HttpResponse& out);

}  // namespace tw
