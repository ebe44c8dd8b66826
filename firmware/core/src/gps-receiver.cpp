#include "gps-receiver.h"

namespace tw {

bool GpsReceiver::judge(const FixCandidate& candidate, Fix& out) {
  counters_.epochs++;
  const FixVerdict verdict = filter_.check(candidate);
  if (verdict != FixVerdict::accepted) {
    counters_.rejected[static_cast<int>(verdict)]++;
    return false;
  }
  counters_.accepted++;
  out = candidate.fix;
  return true;
}

bool GpsReceiver::feed(char c, Fix& out) {
  if (!reader_.feed(c)) return false;
  counters_.lines++;
  char line[kNmeaMaxLine + 1];
  const size_t len = reader_.length();
  for (size_t i = 0; i <= len; i++) line[i] = reader_.line()[i];
  NmeaSentence s;
  switch (split_sentence(line, len, allow_missing_checksum_, s)) {
    case NmeaStatus::ok: break;
    case NmeaStatus::bad_checksum: counters_.bad_checksum++; return false;
    case NmeaStatus::missing_checksum: counters_.missing_checksum++; return false;
    default: counters_.malformed++; return false;
  }
  FixCandidate candidate;
  bool complete = false;
  if (s.type[0] == 'R') {
    RmcData rmc;
    const NmeaStatus st = parse_rmc(s, rmc);
    if (st == NmeaStatus::malformed) counters_.malformed++;
    if (st == NmeaStatus::ok) complete = assembler_.on_rmc(rmc, candidate);
  } else if (s.type[0] == 'G') {
    GgaData gga;
    const NmeaStatus st = parse_gga(s, gga);
    if (st == NmeaStatus::malformed) counters_.malformed++;
    if (st == NmeaStatus::ok) complete = assembler_.on_gga(gga, candidate);
  } else if (s.type[0] == 'V') {
    VtgData vtg;
    if (parse_vtg(s, vtg) == NmeaStatus::ok) assembler_.on_vtg(vtg);
  }
  return complete && judge(candidate, out);
}

bool GpsReceiver::flush(Fix& out) {
  FixCandidate candidate;
  return assembler_.flush(candidate) && judge(candidate, out);
}

}  // namespace tw
