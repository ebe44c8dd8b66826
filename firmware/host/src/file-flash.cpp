#include "file-flash.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

namespace tw::host {

FileFlash::FileFlash(const std::string& path, uint32_t sector_size, uint32_t sectors) : sector_size_(sector_size), sectors_(sectors) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) return;
  struct stat st {};
  ::fstat(fd_, &st);
  if (static_cast<uint64_t>(st.st_size) != size()) {
    for (uint32_t s = 0; s < sectors_; s++) erase_sector(s);
  }
}

FileFlash::~FileFlash() {
  if (fd_ >= 0) ::close(fd_);
}

bool FileFlash::read(uint32_t offset, void* dst, uint32_t len) {
  if (offset + len > size()) return false;
  return ::pread(fd_, dst, len, offset) == static_cast<ssize_t>(len);
}

bool FileFlash::program(uint32_t offset, const void* src, uint32_t len) {
  std::vector<uint8_t> current(len);
  if (!read(offset, current.data(), len)) return false;
  const uint8_t* p = static_cast<const uint8_t*>(src);
  for (uint32_t i = 0; i < len; i++) current[i] &= p[i];
  // No fsync: what the virtual device simulates is its process being killed, which the page cache survives.
  return ::pwrite(fd_, current.data(), len, offset) == static_cast<ssize_t>(len);
}

bool FileFlash::erase_sector(uint32_t sector) {
  if (sector >= sectors_) return false;
  std::vector<uint8_t> erased(sector_size_, 0xFF);
  return ::pwrite(fd_, erased.data(), sector_size_, static_cast<off_t>(sector) * sector_size_) == static_cast<ssize_t>(sector_size_);
}

}  // namespace tw::host
