// Settings as one file per name in a directory, replaced atomically (write a temporary file, fsync, rename).
#pragma once
#include <string>

#include "ports.h"

namespace tw::host {

class FileSettings : public SettingsStore {
 public:
  explicit FileSettings(std::string dir) : dir_(std::move(dir)) {}
  size_t load(const char* name, void* dst, size_t capacity) override;
  bool save(const char* name, const void* src, size_t len) override;
  bool remove(const char* name) override;

 private:
  std::string path(const char* name) const { return dir_ + "/" + name; }
  std::string dir_;
};

}  // namespace tw::host
