#include "fix-assembler.h"

namespace tw {

bool FixAssembler::start(int32_t time_of_day_ms, FixCandidate& out) {
  bool emitted = false;
  if (open_ && time_of_day_ms != time_) emitted = flush(out);
  if (!open_) {
    open_ = true;
    time_ = time_of_day_ms;
    have_rmc_ = have_gga_ = have_vtg_ = false;
  }
  return emitted;
}

bool FixAssembler::complete(FixCandidate& out) {
  if (!(have_rmc_ && have_gga_)) return false;
  return flush(out);
}

bool FixAssembler::on_rmc(const RmcData& rmc, FixCandidate& out) {
  FixCandidate previous;
  const bool emitted = start(rmc.time_of_day_ms, previous);
  if (have_rmc_) return emitted && (out = previous, true);  // a second RMC for one epoch: keep the first
  rmc_ = rmc;
  have_rmc_ = true;
  if (rmc.date_days >= 0) {
    last_date_days_ = rmc.date_days;
    last_date_time_ = rmc.time_of_day_ms;
  }
  if (emitted) {
    out = previous;
    return true;
  }
  return complete(out);
}

bool FixAssembler::on_gga(const GgaData& gga, FixCandidate& out) {
  FixCandidate previous;
  const bool emitted = start(gga.time_of_day_ms, previous);
  if (have_gga_) return emitted && (out = previous, true);
  gga_ = gga;
  have_gga_ = true;
  if (emitted) {
    out = previous;
    return true;
  }
  return complete(out);
}

void FixAssembler::on_vtg(const VtgData& vtg) {
  if (!open_) return;  // VTG has no time: it belongs to the epoch in progress, if any
  vtg_ = vtg;
  have_vtg_ = true;
}

void FixAssembler::build(FixCandidate& out) const {
  out = FixCandidate{};
  Fix& f = out.fix;
  out.valid = (!have_rmc_ || rmc_.valid) && (!have_gga_ || gga_.quality > 0) && (!have_vtg_ || vtg_.valid);
  if (have_rmc_ && rmc_.has_position) {
    f.lat_e7 = rmc_.lat_e7;
    f.lon_e7 = rmc_.lon_e7;
    out.has_position = true;
  } else if (have_gga_ && gga_.has_position) {
    f.lat_e7 = gga_.lat_e7;
    f.lon_e7 = gga_.lon_e7;
    out.has_position = true;
  }
  f.speed_ckmh = have_rmc_ ? rmc_.speed_ckmh : kNoU16;
  f.heading_cdeg = have_rmc_ ? rmc_.course_cdeg : kNoU16;
  if (have_vtg_ && f.speed_ckmh == kNoU16) f.speed_ckmh = vtg_.speed_ckmh;
  if (have_vtg_ && f.heading_cdeg == kNoU16) f.heading_cdeg = vtg_.course_cdeg;
  if (have_gga_) {
    f.hdop_c = gga_.hdop_c;
    f.altitude_dm = gga_.altitude_dm;
    f.satellites = gga_.satellites;
    f.fix_quality = gga_.quality;
  }
  // The date: this epoch's RMC, else the last one seen, moved on a day if the clock passed midnight since.
  int64_t days = -1;
  if (have_rmc_ && rmc_.date_days >= 0) {
    days = rmc_.date_days;
  } else if (last_date_days_ >= 0 && time_ != kNoTime) {
    days = last_date_days_ + (time_ < last_date_time_ - 12 * 3600000 ? 1 : 0);
  }
  if (days >= 0 && time_ != kNoTime) {
    f.utc_ms = days * 86400000LL + time_;
    out.has_date = true;
  }
}

bool FixAssembler::flush(FixCandidate& out) {
  if (!open_) return false;
  open_ = false;
  if (!have_rmc_ && !have_gga_) return false;
  build(out);
  return true;
}

}  // namespace tw
