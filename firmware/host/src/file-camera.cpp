#include <fstream>
#include <iterator>

#include "host-ports.h"

namespace tw::host {

bool FileCamera::capture(CameraFrame& out) {
  if (files_.empty() || taken_ >= limit_) return false;
  std::ifstream in(files_[taken_ % files_.size()], std::ios::binary);
  if (!in) return false;
  buffer_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  taken_++;
  out.data = buffer_.data();
  out.size = buffer_.size();
  return true;
}

}  // namespace tw::host
