#include "posix-connection.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

namespace tw::host {

static bool wait_for(int fd, short events, uint32_t timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int r = ::poll(&p, 1, static_cast<int>(timeout_ms));
    if (r < 0 && errno == EINTR) continue;
    return r > 0;
  }
}

bool PosixConnection::open(const char* host, uint16_t port, bool tls, uint32_t timeout_ms) {
  close();
  if (tls) return false;  // no TLS on the host build (see README): configure http:// endpoints
  char service[8];
  std::snprintf(service, sizeof service, "%u", port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (::getaddrinfo(host, service, &hints, &found) != 0) return false;
  for (addrinfo* a = found; a && fd_ < 0; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    int r = ::connect(fd, a->ai_addr, a->ai_addrlen);
    if (r < 0 && errno == EINPROGRESS && wait_for(fd, POLLOUT, timeout_ms)) {
      int error = 0;
      socklen_t len = sizeof error;
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len);
      r = error == 0 ? 0 : -1;
    }
    if (r == 0) {
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      fd_ = fd;
    } else {
      ::close(fd);
    }
  }
  ::freeaddrinfo(found);
  return fd_ >= 0;
}

int PosixConnection::write(const uint8_t* src, size_t len, uint32_t timeout_ms) {
  size_t done = 0;
  while (done < len) {
    if (fd_ < 0) return kIoError;
    if (!wait_for(fd_, POLLOUT, timeout_ms)) return kIoTimeout;
    const ssize_t n = ::send(fd_, src + done, len - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return kIoError;
    }
    done += static_cast<size_t>(n);
  }
  return static_cast<int>(len);
}

int PosixConnection::read(uint8_t* dst, size_t capacity, uint32_t timeout_ms) {
  for (;;) {
    if (fd_ < 0) return kIoError;
    if (!wait_for(fd_, POLLIN, timeout_ms)) return kIoTimeout;
    const ssize_t n = ::recv(fd_, dst, capacity, 0);
    if (n > 0) return static_cast<int>(n);
    if (n == 0) return kIoClosed;
    if (errno == EAGAIN || errno == EINTR) continue;
    return kIoError;
  }
}

void PosixConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

}  // namespace tw::host
