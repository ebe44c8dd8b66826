#include "file-settings.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace tw::host {

size_t FileSettings::load(const char* name, void* dst, size_t capacity) {
  const int fd = ::open(path(name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  const ssize_t n = ::read(fd, dst, capacity);
  ::close(fd);
  return n > 0 ? static_cast<size_t>(n) : 0;
}

bool FileSettings::save(const char* name, const void* src, size_t len) {
  const std::string target = path(name), temporary = target + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const bool written = ::write(fd, src, len) == static_cast<ssize_t>(len) && ::fsync(fd) == 0;
  ::close(fd);
  return written && std::rename(temporary.c_str(), target.c_str()) == 0;
}

bool FileSettings::remove(const char* name) { return ::unlink(path(name).c_str()) == 0; }

}  // namespace tw::host
