#include "uploads.h"

#include <algorithm>

namespace tw {

const char* to_string(Exchange exchange) {
  switch (exchange) {
    case Exchange::answered: return "answered";
    case Exchange::connect_failed: return "connect_failed";
    case Exchange::send_failed: return "send_failed";
    case Exchange::no_answer: return "no_answer";
    case Exchange::timeout: return "timeout";
    case Exchange::bad_answer: return "bad_answer";
  }
  return "?";
}

bool MultipartFrameBody::write(ByteSink& out) const {
  return out.text("--") && out.text(boundary_) && out.text("\r\nContent-Disposition: form-data; name=\"captured_at\"\r\n\r\n") &&
         out.text(captured_at_) && out.text("\r\n--") && out.text(boundary_) &&
         out.text("\r\nContent-Disposition: form-data; name=\"imageFile\"; filename=\"frame.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n") &&
         out.write(frame_.data, frame_.size) && out.text("\r\n--") && out.text(boundary_) && out.text("--\r\n");
}

namespace {

/** Sends head and body on an open connection and reads the answer. `nothing_back`: no byte of an answer came. */
Exchange send_and_read(Connection& connection, const Endpoint& endpoint, const char* user_agent, const RequestHead& head, const RequestBody& body,
                       const Timeouts& timeouts, HttpResponse& response, bool& nothing_back) {
  ConnectionSink sink(connection, timeouts.io_ms);
  const bool sent = write_request_head(sink, endpoint, user_agent, head) && body.write(sink) && sink.flush();
  // Even when sending failed part-way the server may have answered already (e.g. 413 before reading the body).
  const ReadOutcome read = read_response(connection, timeouts.io_ms, response);
  // Part of the body never went out: the server would read the next request as the rest of it.
  if (!sent) response.reusable = false;
  nothing_back = read == ReadOutcome::closed_without_answer;
  if (read == ReadOutcome::answered) return Exchange::answered;
  if (!sent) return Exchange::send_failed;
  switch (read) {
    case ReadOutcome::timeout: return Exchange::timeout;
    case ReadOutcome::malformed: return Exchange::bad_answer;
    default: return Exchange::no_answer;
  }
}

}  // namespace

Exchange perform_request(Connection& connection, const Endpoint& endpoint, const char* user_agent, RequestHead head, const RequestBody& body,
                         const Timeouts& timeouts, HttpResponse& response) {
  response = HttpResponse{};
  head.content_length = body.length();
  head.keep_alive = false;
  if (!connection.open(endpoint.host, endpoint.port, endpoint.tls, timeouts.connect_ms)) return Exchange::connect_failed;
  bool nothing_back;
  const Exchange result = send_and_read(connection, endpoint, user_agent, head, body, timeouts, response, nothing_back);
  connection.close();
  return result;
}

Exchange UploadSession::perform(int endpoint_id, const Endpoint& endpoint, const char* user_agent, RequestHead head, const RequestBody& body,
                                HttpResponse& response) {
  response = HttpResponse{};
  head.content_length = body.length();
  head.keep_alive = timeouts_.keep_alive_idle_ms > 0;
  if (open_endpoint_ != endpoint_id) close();
  close_if_idle();
  for (int attempt = 0; attempt < 2; attempt++) {
    const bool reused = open_endpoint_ >= 0;
    if (!reused) {
      if (!connection_.open(endpoint.host, endpoint.port, endpoint.tls, timeouts_.connect_ms)) return Exchange::connect_failed;
      open_endpoint_ = endpoint_id;
      opened_++;
    }
    bool nothing_back = false;
    const Exchange result = send_and_read(connection_, endpoint, user_agent, head, body, timeouts_, response, nothing_back);
    if (result == Exchange::answered && head.keep_alive && response.reusable) {
      idle_since_ms_ = clock_.monotonic_ms();
      idle_limit_ms_ = timeouts_.keep_alive_idle_ms;
      // A second less than the server's own limit: the close and the next request must not cross on the way.
      if (response.keep_alive_s >= 0) idle_limit_ms_ = std::min(idle_limit_ms_, uint32_t(std::max(response.keep_alive_s - 1, 0)) * 1000);
      if (idle_limit_ms_ > 0) return result;  // else the server keeps it a second or less: closed now
    }
    close();
    // A kept connection the server (or a NAT on the way) had closed: the request never reached it. Once, on a new one.
    if (!(reused && nothing_back)) return result;
  }
  return Exchange::no_answer;  // not reached: the second attempt is on a new connection
}

void UploadSession::close_if_idle() {
  if (open_endpoint_ >= 0 && clock_.monotonic_ms() - idle_since_ms_ >= idle_limit_ms_) close();
}

void UploadSession::close() {
  if (open_endpoint_ >= 0) connection_.close();
  open_endpoint_ = -1;
}

}  // namespace tw
