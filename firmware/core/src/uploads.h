// The three requests of device protocol v1 as bodies that can be measured (for Content-Length) and then written
// straight to the connection, and what performs a request and says how it went: once on a connection of its own
// (perform_request), or on a connection kept open between requests (UploadSession).
#pragma once
#include <cstddef>
#include <cstdint>

#include "byte-sink.h"
#include "device-json.h"
#include "frame-queue.h"
#include "http.h"
#include "ports.h"

namespace tw {

constexpr const char* kTrackingPath = "/api/v1/tracking/location";
constexpr const char* kFramePath = "/api/v1/video/frames/upload";
constexpr const char* kHeartbeatPath = "/api/v1/devices/heartbeat";

class RequestBody {
 public:
  virtual ~RequestBody() = default;
  virtual bool write(ByteSink& out) const = 0;
  size_t length() const {
    CountingSink counter;
    write(counter);
    return counter.count;
  }
};

class FixBatchBody : public RequestBody {
 public:
  FixBatchBody(const Fix* fixes, size_t count) : fixes_(fixes), count_(count) {}
  bool write(ByteSink& out) const override { return write_fix_batch(out, fixes_, count_); }

 private:
  const Fix* fixes_;
  size_t count_;
};

class HeartbeatBody : public RequestBody {
 public:
  explicit HeartbeatBody(const HeartbeatInfo& info) : info_(info) {}
  bool write(ByteSink& out) const override { return write_heartbeat(out, info_); }

 private:
  HeartbeatInfo info_;
};

/** The JPEG as the whole body (Content-Type image/jpeg, captured_at in X-Captured-At). */
class RawFrameBody : public RequestBody {
 public:
  explicit RawFrameBody(const QueuedFrame& frame) : frame_(frame) {}
  bool write(ByteSink& out) const override { return out.write(frame_.data, frame_.size); }

 private:
  QueuedFrame frame_;
};

/** multipart/form-data with a captured_at field and the JPEG as file part "imageFile" (servers that need a form). */
class MultipartFrameBody : public RequestBody {
 public:
  /** `boundary`: 1–60 characters that do not occur in the JPEG (a random one per request makes that certain enough). */
  MultipartFrameBody(const QueuedFrame& frame, const char* boundary, const char* captured_at_iso)
      : frame_(frame), boundary_(boundary), captured_at_(captured_at_iso) {}
  bool write(ByteSink& out) const override;

 private:
  QueuedFrame frame_;
  const char* boundary_;
  const char* captured_at_;
};

enum class Exchange : uint8_t { answered, connect_failed, send_failed, no_answer, timeout, bad_answer };
const char* to_string(Exchange exchange);

struct Timeouts {
  uint32_t connect_ms = 10000;
  uint32_t io_ms = 15000;
  // A connection idle for less than this carries the next request to the same endpoint; 0: a connection per request.
  // Below the server's own keep-alive time-out (HTTP_KEEP_ALIVE_S, 65 s), so the server does not close a connection
  // the unit is about to use; above the 30-s batch interval, so a driving unit keeps its connection.
  uint32_t keep_alive_idle_ms = 50000;
};

/** Opens a connection, sends head and body (Connection: close), reads the answer, closes. */
Exchange perform_request(Connection& connection, const Endpoint& endpoint, const char* user_agent, RequestHead head, const RequestBody& body,
                         const Timeouts& timeouts, HttpResponse& response);

/**
 * Requests over one connection kept open between them: a TLS handshake and a TCP one saved per request on the unit,
 * and the server's CPU for them. The connection is reused for the next request to the same endpoint while it has been
 * idle for less than `keep_alive_idle_ms` (or, when the server announced a shorter `Keep-Alive: timeout=N`, than
 * N − 1 s) and the last answer allowed it (HTTP/1.1, the request sent whole, the answer read to its end, no
 * `Connection: close`). A server may still have closed it meanwhile: a reused connection that fails before any byte
 * of an answer is replaced once by a new one and the request sent again. That is safe: the server cannot have
 * answered a request it never read, and it recognises a repeated batch or frame as a duplicate.
 */
class UploadSession {
 public:
  UploadSession(Connection& connection, Clock& clock, const Timeouts& timeouts) : connection_(connection), clock_(clock), timeouts_(timeouts) {}
  /** `endpoint_id`: the caller's name for `endpoint`; a request to another one closes the open connection first. */
  Exchange perform(int endpoint_id, const Endpoint& endpoint, const char* user_agent, RequestHead head, const RequestBody& body, HttpResponse& response);
  /** Closes a connection idle for `keep_alive_idle_ms` or more (frees the platform's TLS buffers between requests). */
  void close_if_idle();
  void close();
  uint32_t connections_opened() const { return opened_; }

 private:
  Connection& connection_;
  Clock& clock_;
  Timeouts timeouts_;
  int open_endpoint_ = -1;  // -1: no connection open
  uint64_t idle_since_ms_ = 0;
  uint32_t idle_limit_ms_ = 0;  // of the open connection: ours, or less when the server keeps it for a shorter time
  uint32_t opened_ = 0;
};

}  // namespace tw
