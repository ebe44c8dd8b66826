// The exact bytes the unit puts on the wire, and how it reads what comes back.
#include <gtest/gtest.h>

#include <string>

#include "civil-time.h"
#include "test-support.h"
#include "uploads.h"

using namespace tw;
using tw::test::http_answer;
using tw::test::Script;
using tw::test::ScriptedConnection;

namespace {
const char* kKey = "twd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

Endpoint endpoint(const char* url) {
  Endpoint e;
  EXPECT_TRUE(parse_endpoint_url(url, std::strlen(url), e)) << url;
  return e;
}

Fix sample_fix() {
  Fix f;
  f.utc_ms = utc_ms(2026, 6, 1, 7, 59, 3, 500);
  f.lat_e7 = 482175583;
  f.lon_e7 = -84144950;
  f.speed_ckmh = 1215;
  f.heading_cdeg = 17587;
  f.hdop_c = 70;
  f.altitude_dm = 7662;
  return f;
}
}  // namespace

TEST(RequestBytes, FixBatch) {
  ScriptedConnection conn;
  Fix fixes[2] = {sample_fix(), sample_fix()};
  fixes[1].utc_ms += 1000;
  fixes[1].speed_ckmh = kNoU16;  // unknown fields are left out, not sent as null or 0
  fixes[1].altitude_dm = kNoAltitude;
  RequestHead head;
  head.path = kTrackingPath;
  head.key = kKey;
  head.content_type = "application/json";
  HttpResponse response;
  ASSERT_EQ(perform_request(conn, endpoint("http://10.0.0.5:8787/taxiwatch/"), "TaxiWatch-ESP32/0.1.0", head, FixBatchBody(fixes, 2), Timeouts(), response),
            Exchange::answered);
  EXPECT_EQ(response.status, 202);
  const std::string body =
      "{\"fixes\":[{\"latitude\":48.2175583,\"longitude\":-8.4144950,\"speed\":12.15,\"heading\":175.87,\"accuracy\":3.5,\"altitude\":766.2,"
      "\"timestamp\":\"2026-06-01T07:59:03.500Z\"},{\"latitude\":48.2175583,\"longitude\":-8.4144950,\"heading\":175.87,\"accuracy\":3.5,"
      "\"timestamp\":\"2026-06-01T07:59:04.500Z\"}]}";
  EXPECT_EQ(conn.requests.at(0).host, "10.0.0.5");
  EXPECT_EQ(conn.requests.at(0).port, 8787);
  EXPECT_EQ(conn.requests.at(0).bytes,
            "POST /taxiwatch/api/v1/tracking/location HTTP/1.1\r\n"
            "Host: 10.0.0.5:8787\r\n"
            "Authorization: Bearer " + std::string(kKey) + "\r\n"
            "User-Agent: TaxiWatch-ESP32/0.1.0\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: " + std::to_string(body.size()) + "\r\n"
            "Connection: close\r\n\r\n" + body);
}

TEST(RequestBytes, HeartbeatRawFrameAndMultipartFrame) {
  ScriptedConnection conn;
  const Endpoint e = endpoint("https://edge.example.com");
  HttpResponse response;
  HeartbeatInfo info;
  info.firmware_version = "0.1.0";
  info.rssi = -67;
  info.uptime_s = 3600;
  info.queued_items = 12;
  RequestHead head;
  head.path = kHeartbeatPath;
  head.key = kKey;
  head.content_type = "application/json";
  ASSERT_EQ(perform_request(conn, e, "UA", head, HeartbeatBody(info), Timeouts(), response), Exchange::answered);
  EXPECT_EQ(conn.requests[0].body(), "{\"firmware_version\":\"0.1.0\",\"rssi\":-67,\"uptime_s\":3600,\"queued_items\":12}");
  EXPECT_TRUE(conn.requests[0].has_header("Host: edge.example.com"));  // default port left out

  const uint8_t jpeg[] = {0xFF, 0xD8, 0xFF, 0xD9};
  QueuedFrame frame{jpeg, sizeof jpeg, utc_ms(2026, 6, 1, 8, 0, 0, 0), "harsh_braking"};
  head.path = kFramePath;
  head.content_type = "image/jpeg";
  head.extra[0] = {"X-Captured-At", "2026-06-01T08:00:00.000Z"};
  head.extra[1] = {"X-Frame-Trigger", "harsh_braking"};
  head.extra_count = 2;
  ASSERT_EQ(perform_request(conn, e, "UA", head, RawFrameBody(frame), Timeouts(), response), Exchange::answered);
  EXPECT_EQ(conn.requests[1].head(),
            "POST /api/v1/video/frames/upload HTTP/1.1\r\nHost: edge.example.com\r\nAuthorization: Bearer " + std::string(kKey) +
                "\r\nUser-Agent: UA\r\nContent-Type: image/jpeg\r\nContent-Length: 4\r\nX-Captured-At: 2026-06-01T08:00:00.000Z\r\n"
                "X-Frame-Trigger: harsh_braking\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(conn.requests[1].body(), std::string("\xFF\xD8\xFF\xD9", 4));

  head.content_type = "multipart/form-data; boundary=taxiwatch-0123";
  head.extra_count = 0;
  ASSERT_EQ(perform_request(conn, e, "UA", head, MultipartFrameBody(frame, "taxiwatch-0123", "2026-06-01T08:00:00.000Z"), Timeouts(), response),
            Exchange::answered);
  EXPECT_EQ(conn.requests[2].body(),
            "--taxiwatch-0123\r\nContent-Disposition: form-data; name=\"captured_at\"\r\n\r\n2026-06-01T08:00:00.000Z\r\n"
            "--taxiwatch-0123\r\nContent-Disposition: form-data; name=\"imageFile\"; filename=\"frame.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
            "\xFF\xD8\xFF\xD9\r\n--taxiwatch-0123--\r\n");
  EXPECT_TRUE(conn.requests[2].has_header("Content-Length: " + std::to_string(conn.requests[2].body().size())));
}

TEST(ResponseReading, HeadersTheDeviceActsOn) {
  ScriptedConnection conn;
  conn.scripts.push_back({false,
                          "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\ncontent-type: application/json\r\nx-device-next-key:  twd_next0123456789abcdef  \r\n"
                          "X-Device-Next-Key-Expires-At: 2026-09-01T00:00:00.000Z\r\nX-FRAME-INTERVAL: 120\r\nDate: Mon, 01 Jun 2026 08:00:00 GMT\r\n"
                          "Content-Length: 27\r\n\r\n{\"stored\":1,\"duplicates\":0}"});
  conn.scripts.push_back({false, http_answer(503, "Retry-After: Mon, 01 Jun 2026 08:00:30 GMT\r\nDate: Mon, 01 Jun 2026 08:00:00 GMT\r\n",
                                             "{\"error\":{\"code\":\"unavailable\",\"message\":\"m\",\"details\":{\"reason\":\"storage_unavailable\"}}}")});
  conn.scripts.push_back({false, http_answer(401, "", "{\"error\":{\"code\":\"unauthorized\",\"details\":{\"reason\":\"device_key_expired\"}}}")});
  conn.scripts.push_back({false, "HTTP/1.1 429 Too Many\r\nRetry-After: 17\r\n"});  // cut off inside the head
  conn.scripts.push_back({false, ""});
  conn.scripts.push_back({false, "garbage\r\n\r\n"});
  conn.scripts.push_back({true, ""});
  const Endpoint e = endpoint("http://h");
  RequestHead head;
  HttpResponse r;
  const FixBatchBody empty(nullptr, 0);
  ASSERT_EQ(perform_request(conn, e, "UA", head, empty, Timeouts(), r), Exchange::answered);
  EXPECT_EQ(r.status, 202);
  EXPECT_STREQ(r.next_key, "twd_next0123456789abcdef");
  EXPECT_STREQ(r.next_key_expires_at, "2026-09-01T00:00:00.000Z");
  EXPECT_EQ(r.frame_interval_s, 120);
  EXPECT_EQ(r.date_ms, utc_ms(2026, 6, 1, 8, 0, 0, 0));
  ASSERT_EQ(perform_request(conn, e, "UA", head, empty, Timeouts(), r), Exchange::answered);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.retry_after_s, 30);  // an HTTP date, counted from the server's own Date
  EXPECT_STREQ(r.error_code, "unavailable");
  EXPECT_STREQ(r.reason, "storage_unavailable");
  ASSERT_EQ(perform_request(conn, e, "UA", head, empty, Timeouts(), r), Exchange::answered);
  EXPECT_STREQ(r.reason, "device_key_expired");
  ASSERT_EQ(perform_request(conn, e, "UA", head, empty, Timeouts(), r), Exchange::answered);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.retry_after_s, 17);
  EXPECT_EQ(perform_request(conn, e, "UA", head, empty, Timeouts(), r), Exchange::no_answer);
  EXPECT_EQ(perform_request(conn, e, "UA", head, empty, Timeouts(), r), Exchange::bad_answer);
  EXPECT_EQ(perform_request(conn, e, "UA", head, empty, Timeouts(), r), Exchange::connect_failed);
}

TEST(EndpointUrl, AcceptsWhatTheWebAppShowsAndRefusesTheRest) {
  Endpoint e = endpoint("https://taxiwatch.example.com");
  EXPECT_TRUE(e.tls);
  EXPECT_EQ(e.port, 443);
  EXPECT_STREQ(e.base_path, "");
  e = endpoint("http://127.0.0.1:3000/");
  EXPECT_EQ(e.port, 3000);
  EXPECT_STREQ(e.base_path, "");
  for (const char* bad : {"ftp://x", "https://", "https://a:0", "https://a:99999", "https://user@host", "https://[::1]:80", "https://a/b?c=d", "http://a:-1"}) {
    Endpoint out;
    EXPECT_FALSE(parse_endpoint_url(bad, std::strlen(bad), out)) << bad;
  }
}
