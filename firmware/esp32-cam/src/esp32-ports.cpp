#include "esp32-ports.h"

#include "root-ca.h"

namespace tw::esp32 {

void EspClock::sleep_ms(uint32_t ms) {
  const uint64_t until = monotonic_ms() + ms;
  while (monotonic_ms() < until) {
    if (idle_) idle_();
    delay(ms < 10 ? ms : 10);
  }
}

bool PartitionFlash::begin(const char* label) {
  partition_ = esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_ANY, label);
  return partition_ != nullptr;
}

size_t PreferencesSettings::load(const char* name, void* dst, size_t capacity) {
  const size_t stored = prefs_.getBytesLength(name);
  if (stored == 0 || stored > capacity) return 0;
  return prefs_.getBytes(name, dst, stored);
}

bool WifiConnection::open(const char* host, uint16_t port, bool tls, uint32_t timeout_ms) {
  close();
  if (WiFi.status() != WL_CONNECTED) return false;
  if (tls) {
    if (kRootCaPem[0] == '\0') return false;  // no CA configured: refuse rather than talk TLS unverified
    secure_.setCACert(kRootCaPem);
    secure_.setHandshakeTimeout((timeout_ms + 999) / 1000);
    active_ = &secure_;
  } else {
    active_ = &plain_;
  }
  if (!active_->connect(host, port, static_cast<int32_t>(timeout_ms))) {
    active_ = nullptr;
    return false;
  }
  return true;
}

int WifiConnection::write(const uint8_t* src, size_t len, uint32_t timeout_ms) {
  size_t done = 0;
  uint32_t last_progress = millis();
  while (done < len) {
    if (!active_ || !active_->connected()) return kIoError;
    const size_t n = active_->write(src + done, len - done);
    if (n > 0) {
      done += n;
      last_progress = millis();
    } else if (millis() - last_progress > timeout_ms) {
      return kIoTimeout;
    }
    if (idle_) idle_();
  }
  return static_cast<int>(len);
}

int WifiConnection::read(uint8_t* dst, size_t capacity, uint32_t timeout_ms) {
  const uint32_t start = millis();
  for (;;) {
    if (!active_) return kIoError;
    const int available = active_->available();
    if (available > 0) {
      const int n = active_->read(dst, capacity < size_t(available) ? capacity : size_t(available));
      return n > 0 ? n : kIoError;
    }
    if (!active_->connected()) return kIoClosed;
    if (millis() - start > timeout_ms) return kIoTimeout;
    if (idle_) idle_();
    delay(2);
  }
}

void WifiConnection::close() {
  if (active_) active_->stop();
  active_ = nullptr;
}

bool Esp32Camera::capture(CameraFrame& out) {
  if (fb_) release(out);
  fb_ = esp_camera_fb_get();
  if (!fb_ || fb_->format != PIXFORMAT_JPEG) {
    if (fb_) esp_camera_fb_return(fb_);
    fb_ = nullptr;
    return false;
  }
  out.data = fb_->buf;
  out.size = fb_->len;
  return true;
}

void Esp32Camera::release(CameraFrame& frame) {
  if (fb_) esp_camera_fb_return(fb_);
  fb_ = nullptr;
  frame = CameraFrame{};
}

}  // namespace tw::esp32
