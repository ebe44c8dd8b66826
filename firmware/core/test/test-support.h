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

/** What the scripted server does with one request (the first on a connection also decides the connect). */
struct Script {
  bool refuse_connect = false;  // unreachable: a connect fails, and so does a request on a connection kept open
  std::string answer;  // raw HTTP response bytes; empty: close without answering
};

inline std::string http_answer(int status, const std::string& extra_headers = "", const std::string& body = "{}") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         extra_headers + "\r\n" + body;
}

/**
 * Records every request (host, port, bytes, whether it went on a kept connection) and answers each from a queue of
 * scripts (default: 202). After an answer the server keeps the connection open for the next request unless the
 * answer says `Connection: close` or has no Content-Length (then it closes, as a server that ends its body so).
 */
class ScriptedConnection : public Connection {
 public:
  struct Request {
    std::string host;
    uint16_t port;
    std::string bytes;
    bool reused = false;
    std::string head() const { return bytes.substr(0, bytes.find("\r\n\r\n") + 4); }
    std::string body() const { return bytes.substr(bytes.find("\r\n\r\n") + 4); }
    bool has_header(const std::string& line) const { return head().find("\r\n" + line + "\r\n") != std::string::npos; }
  };
  bool open(const char* host, uint16_t port, bool, uint32_t) override {
    opens++;
    if (!scripts.empty() && scripts.front().refuse_connect) {
      scripts.pop_front();
      refused++;
      return false;
    }
    open_ = true;
    host_ = host;
    port_ = port;
    on_connection_ = 0;
    awaiting_request_ = true;
    server_closed_ = false;
    return true;
  }
  int write(const uint8_t* src, size_t len, uint32_t) override {
    if (!open_ || server_closed_) return kIoError;
    if (awaiting_request_) {
      // The link went down under a connection kept open: the request fails, the script stays for the reconnect.
      if (!scripts.empty() && scripts.front().refuse_connect) {
        open_ = false;
        return kIoError;
      }
      current_ = scripts.empty() ? Script{false, http_answer(202)} : scripts.front();
      if (!scripts.empty()) scripts.pop_front();
      requests.push_back({host_, port_, "", on_connection_++ > 0});
      read_pos_ = 0;
      awaiting_request_ = false;
    }
    requests.back().bytes.append(reinterpret_cast<const char*>(src), len);
    return int(len);
  }
  int read(uint8_t* dst, size_t capacity, uint32_t) override {
    if (!open_) return kIoError;
    if (awaiting_request_ || read_pos_ >= current_.answer.size()) return closes_after(current_.answer) ? kIoClosed : kIoTimeout;
    const size_t n = std::min(capacity, current_.answer.size() - read_pos_);
    std::memcpy(dst, current_.answer.data() + read_pos_, n);
    read_pos_ += n;
    if (read_pos_ == current_.answer.size()) {
      awaiting_request_ = true;
      if (closes_after(current_.answer)) server_closed_ = true;
    }
    return int(n);
  }
  void close() override {
    open_ = false;
    closes++;
  }
  std::deque<Script> scripts;
  std::vector<Request> requests;
  int opens = 0, refused = 0, closes = 0;

 private:
  static bool closes_after(const std::string& answer) {
    const std::string head = answer.substr(0, answer.find("\r\n\r\n") + 2);
    return answer.empty() || head.find("Connection: close\r\n") != std::string::npos || head.find("Content-Length:") == std::string::npos;
  }
  Script current_;
  bool open_ = false, awaiting_request_ = false, server_closed_ = false;
  std::string host_;
  uint16_t port_ = 0;
  int on_connection_ = 0;
  size_t read_pos_ = 0;
};

}  // namespace tw::test
