// Provisioning from the web app's camera QR JSON, today's and with the fields being added.
#include <gtest/gtest.h>

#include <string>

#include "provisioning.h"
#include "serial-provisioning.h"

using namespace tw;

namespace {
const std::string kKey = "twd_Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OWFiY2RlZmdoaWprbA";
ProvisioningError parse(const std::string& json, Provisioning& p) { return parse_provisioning(json.data(), json.size(), p); }
}  // namespace

TEST(Provisioning, TodaysWebAppJson) {
  // What web/islands/device-setup-codes.ts cameraSetup() produces.
  Provisioning p;
  ASSERT_EQ(parse("{\"taxiwatch\":1,\"server\":\"https://fleet.example.com\",\"key\":\"" + kKey + "\"}", p), ProvisioningError::none);
  EXPECT_EQ(p.server_count, 1u);
  EXPECT_STREQ(p.servers[0].host, "fleet.example.com");
  EXPECT_TRUE(p.servers[0].tls);
  EXPECT_EQ(p.key, kKey);
  EXPECT_EQ(p.camera_role, CameraRole::unset);
}

TEST(Provisioning, CameraRoleWifiFallbacksAndUnknownFields) {
  Provisioning p;
  const std::string json = "{ \"future\": {\"nested\": [1, 2.5e3, true, null, \"x\\\"y\"]}, \"taxiwatch\": 1,\n"
                           "  \"server\": \"https://edge-eu.example.com\", \"key\": \"" + kKey + "\", \"camera_role\": \"road\",\n"
                           "  \"wifi\": {\"ssid\": \"Taxi \\u00d1and\\u00fa\", \"password\": \"s3cr3t \\\"quoted\\\"\", \"hidden\": false},\n"
                           "  \"fallback_servers\": [\"https://edge-us.example.com\", \"http://10.0.0.2:8080/tw\"] }";
  ASSERT_EQ(parse(json, p), ProvisioningError::none);
  EXPECT_EQ(p.camera_role, CameraRole::road);
  EXPECT_STREQ(p.wifi_ssid, "Taxi \xC3\x91" "and\xC3\xBA");
  EXPECT_STREQ(p.wifi_password, "s3cr3t \"quoted\"");
  ASSERT_EQ(p.server_count, 3u);
  EXPECT_STREQ(p.servers[1].host, "edge-us.example.com");
  EXPECT_STREQ(p.servers[2].base_path, "/tw");
  EXPECT_EQ(p.servers[2].port, 8080);
}

TEST(Provisioning, SaysWhatIsWrong) {
  Provisioning p;
  const std::string server = "\"server\":\"https://a.example.com\"";
  const std::string key = "\"key\":\"" + kKey + "\"";
  EXPECT_EQ(parse("not json", p), ProvisioningError::not_json);
  EXPECT_EQ(parse("{" + server + "," + key + "}", p), ProvisioningError::not_taxiwatch);
  EXPECT_EQ(parse("{\"taxiwatch\":2," + server + "," + key + "}", p), ProvisioningError::unsupported_version);
  EXPECT_EQ(parse("{\"taxiwatch\":1," + key + "}", p), ProvisioningError::missing_server);
  EXPECT_EQ(parse("{\"taxiwatch\":1,\"server\":\"ftp://a\"," + key + "}", p), ProvisioningError::bad_server);
  EXPECT_EQ(parse("{\"taxiwatch\":1," + server + "}", p), ProvisioningError::missing_key);
  EXPECT_EQ(parse("{\"taxiwatch\":1," + server + ",\"key\":\"abc\"}", p), ProvisioningError::bad_key);
  EXPECT_EQ(parse("{\"taxiwatch\":1," + server + "," + key + ",\"camera_role\":\"roof\"}", p), ProvisioningError::bad_camera_role);
  EXPECT_EQ(parse("{\"taxiwatch\":1," + server + "," + key + ",\"wifi\":{\"ssid\":\"" + std::string(33, 'x') + "\"}}", p), ProvisioningError::bad_wifi);
  EXPECT_EQ(parse("{\"taxiwatch\":1," + server + "," + key + ",\"fallback_servers\":[\"https://b\",\"https://c\",\"https://d\"]}", p),
            ProvisioningError::too_many_servers);
  EXPECT_EQ(parse("{\"taxiwatch\":1," + server + "," + key + "} trailing", p), ProvisioningError::not_json);
  EXPECT_EQ(parse("{\"taxiwatch\":1," + server + "," + key + ",\"x\":[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]}", p), ProvisioningError::not_json);
}

TEST(SerialProvisioning, CollectsOneJsonLineAmongLogNoise) {
  esp32::ProvisioningLine line;
  std::string got;
  for (char c : std::string("boot log line\r\n{\"taxiwatch\":1}\r\n[x]\n")) {
    if (line.feed(c)) got.assign(line.json(), line.length());
  }
  EXPECT_EQ(got, "{\"taxiwatch\":1}");
  got.clear();
  for (char c : "{" + std::string(2000, 'a') + "}\n") {
    if (line.feed(c)) got = line.json();
  }
  EXPECT_EQ(got, "");
}
