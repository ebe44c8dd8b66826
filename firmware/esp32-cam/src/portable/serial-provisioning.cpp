#include "serial-provisioning.h"

namespace tw::esp32 {

bool ProvisioningLine::feed(char c) {
  if (ready_) {
    ready_ = false;
    len_ = 0;
  }
  if (c == '\r' || c == '\n') {
    const bool complete = collecting_ && !overflow_ && len_ > 1 && buf_[len_ - 1] == '}';
    collecting_ = overflow_ = false;
    if (!complete) {
      len_ = 0;
      return false;
    }
    buf_[len_] = '\0';
    ready_ = true;
    return true;
  }
  if (!collecting_) {
    if (c != '{' || len_ != 0) return false;
    collecting_ = true;
  }
  if (len_ == kMaxLength) {
    overflow_ = true;
    return false;
  }
  buf_[len_++] = c;
  return false;
}

}  // namespace tw::esp32
