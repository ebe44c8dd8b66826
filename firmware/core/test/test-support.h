// Test doubles for the core's ports: NOR flash that can lose power mid-write, settings that can refuse a save,
// a connection that records request bytes and plays scripted answers, a manual clock.
#pragma once
#include <cstring>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "ports.h"

namespace tw::test {

/** NOR flash in memory. `cut_after_bytes(n)`: the next writes stop after n more bytes, as if power went off. */
class SimFlash : public Flash {
 public:
  SimFlash(uint32_t sector_size, uint32_t sectors) : sector_size_(sector_size), bytes_(size_t(sector_size) * sectors, 0xFF) {}
  uint32_t size() const override { return uint32_t(bytes_.size()); }
  uint32_t sector_size() const override { return sector_size_; }
  bool read(uint32_t offset, void* dst, uint32_t len) override {
    if (offset + len > size()) return false;
    std::memcpy(dst, bytes_.data() + offset, len);
    return true;
  }
  bool program(uint32_t offset, const void* src, uint32_t len) override {
    if (offset + len > size()) return false;
    const uint8_t* p = static_cast<const uint8_t*>(src);
    for (uint32_t i = 0; i < len; i++) {
      if (dead()) return false;
      if ((bytes_[offset + i] & p[i]) != p[i]) rewrites++;  // a 0 bit would have to become 1: real flash cannot
      bytes_[offset + i] &= p[i];
      spend();
    }
    return true;
  }
  bool erase_sector(uint32_t sector) override {
    for (uint32_t i = 0; i < sector_size_; i++) {
      if (dead()) return false;
      // A half-finished erase leaves the rest as it was (here: garbage, the worst case).
      bytes_[size_t(sector) * sector_size_ + i] = 0xFF;
      spend();
    }
    erases++;
    return true;
  }
  void cut_after_bytes(long n) { budget_ = n; }
  void power_on() { budget_ = -1; }
  bool dead() const { return budget_ == 0; }
  uint32_t rewrites = 0, erases = 0;
  std::vector<uint8_t>& raw() { return bytes_; }

 private:
  void spend() {
    if (budget_ > 0) budget_--;
  }
  uint32_t sector_size_;
  std::vector<uint8_t> bytes_;
  long budget_ = -1;
};

/** Atomic per name, like NVS; `fail_saves` makes saves fail (as a power cut before the commit would). */
class MemorySettings : public SettingsStore {
 public:
  size_t load(const char* name, void* dst, size_t capacity) override {
    auto it = values.find(name);
    if (it == values.end()) return 0;
    const size_t n = it->second.size() < capacity ? it->second.size() : capacity;
    std::memcpy(dst, it->second.data(), n);
    return n;
  }
  bool save(const char* name, const void* src, size_t len) override {
    saves++;
    if (fail_saves) return false;
    values[name].assign(static_cast<const char*>(src), len);
    return true;
  }
  bool remove(const char* name) override { return values.erase(name) > 0; }
  std::map<std::string, std::string> values;
  bool fail_saves = false;
  int saves = 0;
};

class ManualClock : public Clock {
 public:
  uint64_t monotonic_ms() override { return now; }
  void sleep_ms(uint32_t ms) override { now += ms; }
  uint64_t now = 1000;
};

class FixedRandom : public Random {
 public:
  explicit FixedRandom(uint32_t value = 0) : value_(value) {}
  uint32_t next_u32() override { return value_; }

 private:
  uint32_t value_;
};

/** What the scripted server does with one connection. */
struct Script {
  bool refuse_connect = false;
  std::string answer;  // raw HTTP response bytes; empty: close without answering
};

inline std::string http_answer(int status, const std::string& extra_headers = "", const std::string& body = "{}") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         extra_headers + "\r\n" + body;
}

/** Records every request (host, port, bytes) and answers from a queue of scripts (default: 202). */
class ScriptedConnection : public Connection {
 public:
  struct Request {
    std::string host;
    uint16_t port;
    std::string bytes;
    std::string head() const { return bytes.substr(0, bytes.find("\r\n\r\n") + 4); }
    std::string body() const { return bytes.substr(bytes.find("\r\n\r\n") + 4); }
    bool has_header(const std::string& line) const { return head().find("\r\n" + line + "\r\n") != std::string::npos; }
  };
  bool open(const char* host, uint16_t port, bool, uint32_t) override {
    current_ = scripts.empty() ? Script{false, http_answer(202)} : scripts.front();
    if (!scripts.empty()) scripts.pop_front();
    if (current_.refuse_connect) {
      refused++;
      return false;
    }
    requests.push_back({host, port, ""});
    read_pos_ = 0;
    return true;
  }
  int write(const uint8_t* src, size_t len, uint32_t) override {
    requests.back().bytes.append(reinterpret_cast<const char*>(src), len);
    return int(len);
  }
  int read(uint8_t* dst, size_t capacity, uint32_t) override {
    if (read_pos_ >= current_.answer.size()) return kIoClosed;
    const size_t n = std::min(capacity, current_.answer.size() - read_pos_);
    std::memcpy(dst, current_.answer.data() + read_pos_, n);
    read_pos_ += n;
    return int(n);
  }
  void close() override {}
  std::deque<Script> scripts;
  std::vector<Request> requests;
  int refused = 0;

 private:
  Script current_;
  size_t read_pos_ = 0;
};

}  // namespace tw::test
