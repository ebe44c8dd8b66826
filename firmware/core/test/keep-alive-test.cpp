// Connections kept open between requests: where an answer ends (Content-Length, chunked, 204, the server's close),
// when a connection may carry the next request, and what the unit does when the server closed it meanwhile.
#include <gtest/gtest.h>

#include <string>

#include "test-support.h"
#include "uploads.h"

using namespace tw;
using tw::test::http_answer;
using tw::test::ManualClock;
using tw::test::ScriptedConnection;

namespace {

/** Serves fixed bytes `step` at a time, then waits (a server keeping the connection open) or closes. */
class ByteSource : public Connection {
 public:
  ByteSource(std::string bytes, size_t step, bool close_at_end) : bytes_(std::move(bytes)), step_(step), close_at_end_(close_at_end) {}
  bool open(const char*, uint16_t, bool, uint32_t) override { return true; }
  int write(const uint8_t*, size_t len, uint32_t) override { return int(len); }
  int read(uint8_t* dst, size_t capacity, uint32_t) override {
    if (at_ >= bytes_.size()) {
      reads_past_end++;
      return close_at_end_ ? kIoClosed : kIoTimeout;
    }
    size_t n = std::min({capacity, step_, bytes_.size() - at_});
    std::memcpy(dst, bytes_.data() + at_, n);
    at_ += n;
    return int(n);
  }
  void close() override {}
  int reads_past_end = 0;

 private:
  std::string bytes_;
  size_t step_;
  bool close_at_end_;
  size_t at_ = 0;
};

struct Read {
  ReadOutcome outcome;
  HttpResponse response;
  int reads_past_end;
};

Read read_all(const std::string& bytes, size_t step = 7, bool close_at_end = false) {
  ByteSource source(bytes, step, close_at_end);
  Read r{};
  r.outcome = read_response(source, 1000, r.response);
  r.reads_past_end = source.reads_past_end;
  return r;
}

Endpoint endpoint(const char* url) {
  Endpoint e;
  EXPECT_TRUE(parse_endpoint_url(url, std::strlen(url), e)) << url;
  return e;
}

const FixBatchBody kEmpty(nullptr, 0);

/** A session over a scripted server, on a manual clock. */
struct SessionRig {
  explicit SessionRig(Timeouts t = Timeouts()) : session(conn, clock, t) {}
  Exchange send(int endpoint_id = 0, const char* url = "http://edge.test") {
    return session.perform(endpoint_id, endpoint(url), "UA", RequestHead(), kEmpty, response);
  }
  ScriptedConnection conn;
  ManualClock clock;
  UploadSession session;
  HttpResponse response;
};

}  // namespace

TEST(AnswerEnd, ContentLengthEndsTheAnswerWithoutWaitingForAClose) {
  const Read r = read_all(http_answer(202, "", "{\"routine_frame_interval_s\":120}"));
  ASSERT_EQ(r.outcome, ReadOutcome::answered);
  EXPECT_EQ(r.response.status, 202);
  EXPECT_EQ(r.response.routine_interval_s, 120);
  EXPECT_TRUE(r.response.reusable);
  EXPECT_EQ(r.reads_past_end, 0);  // it stopped at the body's last byte
}

TEST(AnswerEnd, ChunkedBodiesAreJoinedAcrossChunksReadsExtensionsAndTrailers) {
  // The field the unit acts on is split across two chunks, and every read brings a single byte.
  const std::string answer =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\nContent-Type: application/json\r\n\r\n"
      "c;name=value\r\n{\"routine_fr\r\n"
      "15\r\name_interval_s\":300}\r\n"
      "0\r\nX-Trailer: 1\r\n\r\n";
  const Read r = read_all(answer, 1);
  ASSERT_EQ(r.outcome, ReadOutcome::answered);
  EXPECT_EQ(r.response.routine_interval_s, 300);
  EXPECT_TRUE(r.response.reusable);
  EXPECT_EQ(r.reads_past_end, 0);
}

TEST(AnswerEnd, NoBodyAnswersEndAtTheirHead) {
  const Read r = read_all("HTTP/1.1 204 No Content\r\nDate: Mon, 01 Jun 2026 08:00:00 GMT\r\n\r\n");
  ASSERT_EQ(r.outcome, ReadOutcome::answered);
  EXPECT_TRUE(r.response.reusable);
  EXPECT_EQ(r.reads_past_end, 0);
}

TEST(AnswerEnd, AConnectionTheServerDoesNotKeepIsNotReused) {
  // The server says so, speaks HTTP/1.0, or ends its body by closing.
  for (const std::string& answer : {http_answer(202, "Connection: keep-alive, Close\r\n"), std::string("HTTP/1.0 202 Accepted\r\nContent-Length: 2\r\n\r\n{}"),
                                    std::string("HTTP/1.1 202 Accepted\r\n\r\n{\"stored\":1}")}) {
    const Read r = read_all(answer, 7, true);
    ASSERT_EQ(r.outcome, ReadOutcome::answered) << answer;
    EXPECT_EQ(r.response.status, 202);
    EXPECT_FALSE(r.response.reusable) << answer;
  }
}

TEST(AnswerEnd, AnswersThatCannotBeFramedCloseTheConnection) {
  const std::string bad_chunk = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n";
  const std::string extra_bytes = http_answer(200) + "HTTP/1.1 200 OK\r\n";
  const std::string large = http_answer(200, "", std::string(10000, ' '));  // a page a proxy sent: read only 4 KiB
  for (const std::string& answer : {bad_chunk, extra_bytes, large}) {
    const Read r = read_all(answer, 256, false);
    ASSERT_EQ(r.outcome, ReadOutcome::answered);
    EXPECT_EQ(r.response.status, 200);
    EXPECT_FALSE(r.response.reusable) << answer.substr(0, 60);
  }
  // A kept connection that times out in the middle of a body is not used again either.
  const Read cut = read_all("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}");
  ASSERT_EQ(cut.outcome, ReadOutcome::answered);
  EXPECT_FALSE(cut.response.reusable);
}

TEST(UploadSession, CarriesRequestsToOneEndpointOverOneConnection) {
  SessionRig rig;
  for (int i = 0; i < 3; i++) {
    ASSERT_EQ(rig.send(), Exchange::answered);
    rig.clock.now += 10000;
  }
  EXPECT_EQ(rig.conn.opens, 1);
  EXPECT_EQ(rig.session.connections_opened(), 1u);
  ASSERT_EQ(rig.conn.requests.size(), 3u);
  EXPECT_FALSE(rig.conn.requests[0].reused);
  EXPECT_TRUE(rig.conn.requests[2].reused);
  EXPECT_FALSE(rig.conn.requests[1].has_header("Connection: close"));  // HTTP/1.1 keeps it without a header

  // Another endpoint (fail-over) gets a connection of its own; the first one is closed.
  ASSERT_EQ(rig.send(1, "http://fallback.test"), Exchange::answered);
  EXPECT_EQ(rig.conn.opens, 2);
  EXPECT_EQ(rig.conn.closes, 1);
  EXPECT_EQ(rig.conn.requests.back().host, "fallback.test");
  EXPECT_FALSE(rig.conn.requests.back().reused);
}

TEST(UploadSession, ClosesAConnectionIdleForTheLimitAndOneTheServerWillClose) {
  SessionRig rig;
  ASSERT_EQ(rig.send(), Exchange::answered);
  rig.clock.now += Timeouts().keep_alive_idle_ms - 1;
  rig.session.close_if_idle();
  EXPECT_EQ(rig.conn.closes, 0);
  rig.clock.now += 1;
  rig.session.close_if_idle();  // the server (65 s) has not closed it yet; the unit frees it first
  EXPECT_EQ(rig.conn.closes, 1);
  rig.conn.scripts = {{false, http_answer(202, "Connection: close\r\n")}};
  ASSERT_EQ(rig.send(), Exchange::answered);
  ASSERT_EQ(rig.send(), Exchange::answered);
  EXPECT_EQ(rig.conn.opens, 3);
  EXPECT_FALSE(rig.conn.requests.back().reused);
}

TEST(UploadSession, SendsAgainOnceOnANewConnectionWhenAKeptOneWasClosed) {
  SessionRig rig;
  ASSERT_EQ(rig.send(), Exchange::answered);
  // The server closed the idle connection as the request went out: no byte of an answer.
  rig.conn.scripts = {{false, ""}, {false, http_answer(202)}};
  ASSERT_EQ(rig.send(), Exchange::answered);
  EXPECT_EQ(rig.response.status, 202);
  ASSERT_EQ(rig.conn.requests.size(), 3u);
  EXPECT_TRUE(rig.conn.requests[1].reused);
  EXPECT_FALSE(rig.conn.requests[2].reused);
  EXPECT_EQ(rig.conn.requests[2].bytes, rig.conn.requests[1].bytes);

  // A new connection that fails the same way is a failure of the server, reported, not sent a third time.
  rig.conn.scripts = {{false, ""}, {false, ""}, {false, http_answer(202)}};
  EXPECT_EQ(rig.send(), Exchange::no_answer);
  EXPECT_EQ(rig.conn.requests.size(), 5u);
  EXPECT_EQ(rig.conn.scripts.size(), 1u);

  // The link went down under the kept connection and the endpoint is unreachable: one reconnect, refused.
  ASSERT_EQ(rig.send(), Exchange::answered);
  rig.conn.scripts = {{true, ""}};
  EXPECT_EQ(rig.send(), Exchange::connect_failed);
  EXPECT_EQ(rig.conn.refused, 1);
}

TEST(UploadSession, WithoutKeepAliveEveryRequestHasItsOwnConnection) {
  Timeouts t;
  t.keep_alive_idle_ms = 0;
  SessionRig rig(t);
  for (int i = 0; i < 2; i++) ASSERT_EQ(rig.send(), Exchange::answered);
  EXPECT_EQ(rig.conn.opens, 2);
  EXPECT_TRUE(rig.conn.requests[1].has_header("Connection: close"));
  EXPECT_EQ(rig.conn.closes, 2);
}

TEST(UploadSession, HonoursAShorterKeepAliveTheServerAnnounces) {
  // Node's default: "Keep-Alive: timeout=5", and the socket is closed a second or so after that.
  EXPECT_EQ(read_all(http_answer(202, "Keep-Alive: max=100, Timeout=5\r\n")).response.keep_alive_s, 5);
  SessionRig rig;
  rig.conn.scripts = {{false, http_answer(202, "Keep-Alive: timeout=5\r\n")}, {false, http_answer(202, "Keep-Alive: timeout=5\r\n")},
                      {false, http_answer(202, "Keep-Alive: timeout=1\r\n")}, {false, http_answer(202, "Keep-Alive: timeout=120\r\n")}};
  ASSERT_EQ(rig.send(), Exchange::answered);
  rig.clock.now += 3999;
  ASSERT_EQ(rig.send(), Exchange::answered);
  EXPECT_TRUE(rig.conn.requests.back().reused);
  rig.clock.now += 4000;  // a second short of the server's five: not reused
  ASSERT_EQ(rig.send(), Exchange::answered);
  EXPECT_FALSE(rig.conn.requests.back().reused);
  EXPECT_EQ(rig.conn.closes, 2);  // and one the server keeps for a second only is closed at once
  ASSERT_EQ(rig.send(), Exchange::answered);
  rig.clock.now += 49999;  // a longer announcement does not stretch the unit's own limit
  ASSERT_EQ(rig.send(), Exchange::answered);
  EXPECT_TRUE(rig.conn.requests.back().reused);
  EXPECT_EQ(rig.conn.opens, 3);
}

TEST(UploadSession, DoesNotReuseAConnectionItCouldNotSendTheWholeBodyOn) {
  // A server that answers 413 early, as keep-alive as ever, while the unit's body stops going out part-way.
  class EarlyAnswer : public Connection {
   public:
    bool open(const char*, uint16_t, bool, uint32_t) override {
      opens++;
      written = 0;
      read_at = 0;
      return true;
    }
    int write(const uint8_t*, size_t len, uint32_t) override {
      written += len;
      return written > 600 ? kIoError : int(len);
    }
    int read(uint8_t* dst, size_t capacity, uint32_t) override {
      const std::string answer = http_answer(413);
      if (read_at >= answer.size()) return kIoTimeout;
      const size_t n = std::min(capacity, answer.size() - read_at);
      std::memcpy(dst, answer.data() + read_at, n);
      read_at += n;
      return int(n);
    }
    void close() override {}
    int opens = 0;
    size_t written = 0, read_at = 0;
  } conn;
  ManualClock clock;
  UploadSession session(conn, clock, Timeouts());
  const uint8_t jpeg[2000] = {};
  const QueuedFrame frame{jpeg, sizeof jpeg, 0, ""};
  HttpResponse r;
  for (int i = 0; i < 2; i++) {
    ASSERT_EQ(session.perform(0, endpoint("http://edge.test"), "UA", RequestHead(), RawFrameBody(frame), r), Exchange::answered);
    EXPECT_EQ(r.status, 413);
    EXPECT_FALSE(r.reusable);
  }
  EXPECT_EQ(conn.opens, 2);
}

