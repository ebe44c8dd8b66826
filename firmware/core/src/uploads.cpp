#include "uploads.h"

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

Exchange perform_request(Connection& connection, const Endpoint& endpoint, const char* user_agent, RequestHead head, const RequestBody& body,
                         const Timeouts& timeouts, HttpResponse& response) {
  response = HttpResponse{};
  head.content_length = body.length();
  if (!connection.open(endpoint.host, endpoint.port, endpoint.tls, timeouts.connect_ms)) return Exchange::connect_failed;
  ConnectionSink sink(connection, timeouts.io_ms);
  const bool sent = write_request_head(sink, endpoint, user_agent, head) && body.write(sink) && sink.flush();
  // Even when sending failed part-way the server may have answered already (e.g. 413 before reading the body).
  const ReadOutcome read = read_response(connection, timeouts.io_ms, response);
  connection.close();
  if (read == ReadOutcome::answered) return Exchange::answered;
  if (!sent) return Exchange::send_failed;
  switch (read) {
    case ReadOutcome::timeout: return Exchange::timeout;
    case ReadOutcome::malformed: return Exchange::bad_answer;
    default: return Exchange::no_answer;
  }
}

}  // namespace tw
