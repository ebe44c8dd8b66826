// Provisioning over the USB serial port: paste the JSON the web app shows under the camera QR code (one line
// starting with '{') into a serial monitor. The line is collected here; parse_provisioning reads it.
#pragma once
#include <cstddef>

namespace tw::esp32 {

class ProvisioningLine {
 public:
  static constexpr size_t kMaxLength = 1024;
  /** Feeds one byte; true when a complete '{…}' line is in `json()`. Other lines (log noise) are ignored. */
  bool feed(char c);
  const char* json() const { return buf_; }
  size_t length() const { return len_; }

 private:
  char buf_[kMaxLength + 1] = {};
  size_t len_ = 0;
  bool collecting_ = false, overflow_ = false, ready_ = false;
};

}  // namespace tw::esp32
