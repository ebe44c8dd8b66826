// A flash region kept in a file, with NOR semantics (program = AND, erase = 0xFF): the virtual device's offline
// buffer survives being killed just as the ESP32's survives a power cut.
#pragma once
#include <string>

#include "ports.h"

namespace tw::host {

class FileFlash : public Flash {
 public:
  /** Opens or creates `path` of `sectors` × `sector_size` bytes (a new file is erased). */
  FileFlash(const std::string& path, uint32_t sector_size, uint32_t sectors);
  ~FileFlash() override;
  bool ok() const { return fd_ >= 0; }
  uint32_t size() const override { return sector_size_ * sectors_; }
  uint32_t sector_size() const override { return sector_size_; }
  bool read(uint32_t offset, void* dst, uint32_t len) override;
  bool program(uint32_t offset, const void* src, uint32_t len) override;
  bool erase_sector(uint32_t sector) override;

 private:
  int fd_ = -1;
  uint32_t sector_size_, sectors_;
};

}  // namespace tw::host
