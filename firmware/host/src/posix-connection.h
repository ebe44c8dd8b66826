// Connection over POSIX TCP sockets, with every wait bounded by poll(). Plain TCP only: TLS is the platform's
// business, and on the host the virtual device talks to loopback test servers.
#pragma once
#include "ports.h"

namespace tw::host {

class PosixConnection : public Connection {
 public:
  ~PosixConnection() override { close(); }
  bool open(const char* host, uint16_t port, bool tls, uint32_t timeout_ms) override;
  int write(const uint8_t* src, size_t len, uint32_t timeout_ms) override;
  int read(uint8_t* dst, size_t capacity, uint32_t timeout_ms) override;
  void close() override;

 private:
  int fd_ = -1;
};

}  // namespace tw::host
