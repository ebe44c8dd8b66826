// Where serialised bytes go: a connection, a counter (to learn a body's Content-Length before sending it), or a
// fixed buffer (tests, small bodies).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tw {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual bool write(const void* data, size_t len) = 0;
  bool text(const char* s) { return write(s, std::strlen(s)); }
};

class CountingSink : public ByteSink {
 public:
  bool write(const void*, size_t len) override {
    count += len;
    return true;
  }
  size_t count = 0;
};

class BufferSink : public ByteSink {
 public:
  BufferSink(char* buf, size_t capacity) : buf_(buf), capacity_(capacity) {}
  bool write(const void* data, size_t len) override {
    if (len > capacity_ - length_ - 1) {
      overflowed_ = true;
      return false;
    }
    std::memcpy(buf_ + length_, data, len);
    length_ += len;
    buf_[length_] = '\0';
    return true;
  }
  const char* data() const { return buf_; }
  size_t length() const { return length_; }
  bool overflowed() const { return overflowed_; }
  void clear() {
    length_ = 0;
    buf_[0] = '\0';
    overflowed_ = false;
  }

 private:
  char* buf_;
  size_t capacity_;
  size_t length_ = 0;
  bool overflowed_ = false;
};

}  // namespace tw
