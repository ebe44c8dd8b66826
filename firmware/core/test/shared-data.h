// Where the recorded NMEA logs live: $SHARED_DATA_DIR, else ../shared/data beside the repository, else
// /work/shared/data (the vitest runner passes SHARED_DATA_DIR).
#pragma once
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace tw::test {

inline std::string shared_data(const std::string& relative) {
  const char* env = std::getenv("SHARED_DATA_DIR");
  for (std::string base : {std::string(env ? env : ""), std::string(TW_SHARED_DATA_DEFAULT), std::string("/work/shared/data")}) {
    if (base.empty()) continue;
    std::ifstream probe(base + "/" + relative);
    if (probe) return base + "/" + relative;
  }
  return "";
}

inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace tw::test
