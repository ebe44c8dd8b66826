// The three requests of device protocol v1 as bodies that can be measured (for Content-Length) and then written
// straight to the connection, and one function that performs a request and says how it went.
#pragma once
#include <cstddef>
#include <cstdint>

#include "byte-sink.h"
#include "device-json.h"
#include "frame-queue.h"
#include "http.h"

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
};

/** Opens a connection, sends head and body, reads the answer, closes. */
Exchange perform_request(Connection& connection, const Endpoint& endpoint, const char* user_agent, RequestHead head, const RequestBody& body,
                         const Timeouts& timeouts, HttpResponse& response);

}  // namespace tw
