// TaxiWatch camera unit: AI-Thinker ESP32-CAM + u-blox NEO-6M/M8N GPS. Everything that decides anything is the
// portable core (../core, tested on the host); this sketch wires the hardware to it and adds what only the board
// has: the watchdog, brown-out recovery, Wi-Fi, the camera and provisioning over the serial port.
//
// Wiring: GPS TX → GPIO13 (UART2 RX), GPS RX ← GPIO14 (optional: the GPS's defaults are used), GPS VCC 3.3 V;
// a push button from GPIO15 to GND takes a frame on demand. Power from a 5 V supply of at least 1 A: Wi-Fi and
// the camera together draw bursts the on-board regulator cannot take from a weak USB port (brown-outs).
#include <Arduino.h>
#include <esp_system.h>
#include <esp_task_wdt.h>
#include <new>

#include "device.h"
#include "provisioning.h"
#include "src/esp32-ports.h"
#include "src/portable/camera-profile.h"
#include "src/portable/serial-provisioning.h"
#include "src/portable/settings-names.h"

namespace {

constexpr int kGpsRx = 13, kGpsTx = 14, kButton = 15;
constexpr uint32_t kGpsBaud = 9600;
constexpr uint32_t kWatchdogSeconds = 30;
constexpr size_t kFrameSlots = 4;
constexpr const char* kFirmwareVersion = "0.1.0";
constexpr const char* kBrownoutsKey = "brownouts";

void service();

tw::esp32::PartitionFlash flash;
tw::esp32::PreferencesSettings settings;
tw::esp32::EspClock unit_clock(service);
tw::esp32::WifiConnection connection(service);
tw::esp32::EspRandom unit_random;
tw::esp32::Esp32Camera camera;
tw::esp32::ProvisioningLine serial_line;
tw::FlashRing ring(flash);
tw::KeyRing keys(settings);
tw::Provisioning provisioning;

// The core's objects live in static storage, built once in setup(): no heap in the steady state.
alignas(tw::Device) uint8_t device_storage[sizeof(tw::Device)];
alignas(tw::FrameQueue) uint8_t frames_storage[sizeof(tw::FrameQueue)];
tw::Device* device = nullptr;
bool in_service = false;
bool button_was_down = false;
uint64_t stable_since_ms = 0;

/** While the unit waits on the network: the GPS UART must not overflow and the watchdog must not fire. */
void service() {
  if (in_service) return;
  in_service = true;
  esp_task_wdt_reset();
  while (device && Serial2.available() > 0) device->on_gps_byte(static_cast<char>(Serial2.read()));
  in_service = false;
}

void start_watchdog() {
#if ESP_ARDUINO_VERSION_MAJOR >= 3
  const esp_task_wdt_config_t config = {kWatchdogSeconds * 1000, 0, true};
  esp_task_wdt_reconfigure(&config);
#else
  esp_task_wdt_init(kWatchdogSeconds, true);
#endif
  esp_task_wdt_add(nullptr);
}

/**
 * Brown-outs: the detector stays on (flash written at low voltage is how units lose their settings). After two
 * brown-out resets in a row the unit runs in low-power mode: weaker Wi-Fi transmit power, smaller frames, and the
 * camera started only after Wi-Fi, so their inrush currents do not coincide. Ten stable minutes clear the count.
 */
bool low_power_after_brownouts() {
  Preferences counters;
  counters.begin(tw::esp32::kNamespace, false);
  uint32_t count = counters.getUInt(kBrownoutsKey, 0);
  count = esp_reset_reason() == ESP_RST_BROWNOUT ? count + 1 : 0;
  counters.putUInt(kBrownoutsKey, count);
  counters.end();
  if (count > 0) Serial.printf("taxiwatch: brown-out reset #%u\n", count);
  return count >= 2;
}

bool start_camera(const tw::esp32::CameraProfile& profile, bool low_power) {
  camera_config_t config = {};
  config.pin_pwdn = 32;
  config.pin_reset = -1;
  config.pin_xclk = 0;
  config.pin_sccb_sda = 26;
  config.pin_sccb_scl = 27;
  config.pin_d7 = 35, config.pin_d6 = 34, config.pin_d5 = 39, config.pin_d4 = 36;
  config.pin_d3 = 21, config.pin_d2 = 19, config.pin_d1 = 18, config.pin_d0 = 5;
  config.pin_vsync = 25, config.pin_href = 23, config.pin_pclk = 22;
  config.xclk_freq_hz = low_power ? profile.xclk_hz / 2 : profile.xclk_hz;
  config.ledc_timer = LEDC_TIMER_0;
  config.ledc_channel = LEDC_CHANNEL_0;
  config.pixel_format = PIXFORMAT_JPEG;
  config.frame_size = low_power ? FRAMESIZE_QVGA : static_cast<framesize_t>(profile.frame_size);
  config.jpeg_quality = profile.jpeg_quality;
  config.fb_count = profile.frame_buffers;
  config.fb_location = psramFound() ? CAMERA_FB_IN_PSRAM : CAMERA_FB_IN_DRAM;
  config.grab_mode = CAMERA_GRAB_LATEST;  // the newest picture, not one that waited in the buffer
  if (esp_camera_init(&config) != ESP_OK) return false;
  sensor_t* s = esp_camera_sensor_get();
  s->set_gainceiling(s, static_cast<gainceiling_t>(profile.gain_ceiling));
  s->set_aec2(s, profile.night_exposure ? 1 : 0);
  s->set_ae_level(s, profile.ae_level);
  s->set_brightness(s, profile.brightness);
  s->set_lenc(s, profile.lens_correction ? 1 : 0);
  return true;
}

/** A provisioning JSON from the serial port: checked, saved, and applied by restarting. */
void apply_provisioning(const char* json, size_t len) {
  tw::Provisioning candidate;
  const tw::ProvisioningError error = tw::parse_provisioning(json, len, candidate);
  if (error != tw::ProvisioningError::none) {
    Serial.printf("taxiwatch: provisioning refused: %s\n", tw::to_string(error));
    return;
  }
  if (!settings.save(tw::esp32::kProvisioningKey, json, len) || !keys.provision(candidate.key)) {
    Serial.println("taxiwatch: could not save the provisioning; nothing changed");
    return;
  }
  Serial.println("taxiwatch: provisioned; restarting");
  delay(200);
  ESP.restart();
}

bool load_provisioning() {
  char json[tw::esp32::ProvisioningLine::kMaxLength + 1];
  const size_t len = settings.load(tw::esp32::kProvisioningKey, json, sizeof json - 1);
  if (len == 0) return false;
  json[len] = '\0';
  return tw::parse_provisioning(json, len, provisioning) == tw::ProvisioningError::none && keys.load();
}

}  // namespace

void setup() {
  Serial.begin(115200);
  start_watchdog();
  const bool low_power = low_power_after_brownouts();
  settings.begin(tw::esp32::kNamespace);
  if (!flash.begin("twlog") || !ring.mount()) Serial.println("taxiwatch: no usable twlog partition; check partitions.csv");
  if (!load_provisioning()) {
    Serial.println("taxiwatch: not provisioned; paste the camera setup JSON from the web app (one line)");
    return;  // loop() listens on the serial port
  }
  WiFi.mode(WIFI_STA);
  WiFi.setAutoReconnect(true);
  if (low_power) WiFi.setTxPower(WIFI_POWER_8_5dBm);
  WiFi.begin(provisioning.wifi_ssid, provisioning.wifi_password);

  Serial2.setRxBufferSize(4096);  // 4 s of NMEA at 9600 baud, on top of servicing it while waiting on the network
  Serial2.begin(kGpsBaud, SERIAL_8N1, kGpsRx, kGpsTx);
  pinMode(kButton, INPUT_PULLUP);

  tw::DeviceSettings ds;
  ds.firmware_version = kFirmwareVersion;
  ds.user_agent = "TaxiWatch-ESP32/0.1.0";
  device = new (device_storage) tw::Device(unit_clock, connection, unit_random, ring, keys, ds);
  for (size_t i = 0; i < provisioning.server_count; i++) device->add_endpoint(provisioning.servers[i]);

  const tw::esp32::CameraProfile profile = tw::esp32::camera_profile(provisioning.camera_role, psramFound());
  if (low_power) {
    for (int i = 0; i < 100 && WiFi.status() != WL_CONNECTED; i++) unit_clock.sleep_ms(100);
  }
  // The frame pool: one allocation at boot, in PSRAM when there is some.
  uint8_t* pool = static_cast<uint8_t*>(psramFound() ? ps_malloc(kFrameSlots * profile.max_jpeg_bytes) : malloc(profile.max_jpeg_bytes));
  const size_t slots = psramFound() ? kFrameSlots : 1;
  if (pool && start_camera(profile, low_power)) {
    device->attach_camera(&camera, new (frames_storage) tw::FrameQueue(pool, profile.max_jpeg_bytes, slots));
  } else {
    Serial.println("taxiwatch: camera not started; sending GPS only");
  }
  stable_since_ms = unit_clock.monotonic_ms();
}

void loop() {
  service();
  while (Serial.available() > 0) {
    if (serial_line.feed(static_cast<char>(Serial.read()))) apply_provisioning(serial_line.json(), serial_line.length());
  }
  if (!device) {
    delay(20);
    return;
  }
  const bool button_down = digitalRead(kButton) == LOW;
  if (button_down && !button_was_down) device->trigger_frame("button");
  button_was_down = button_down;
  device->set_rssi(WiFi.status() == WL_CONNECTED ? WiFi.RSSI() : 1);
  if (stable_since_ms && unit_clock.monotonic_ms() - stable_since_ms > 600000) {
    Preferences counters;
    counters.begin(tw::esp32::kNamespace, false);
    counters.putUInt(kBrownoutsKey, 0);
    counters.end();
    stable_since_ms = 0;
  }
  const uint32_t wait = device->poll();
  if (wait > 0) unit_clock.sleep_ms(wait < 50 ? wait : 50);
}
