// Which fixes are kept: no fix, HDOP, implausible dates, time order, the 1 Hz limit, jumps, and epoch assembly.
#include <gtest/gtest.h>

#include "civil-time.h"
#include "fix-assembler.h"
#include "fix-filter.h"

using namespace tw;

namespace {
const int64_t kT0 = utc_ms(2026, 6, 1, 8, 0, 0, 0);

FixCandidate at(int64_t t, int32_t lat_e7, int32_t lon_e7, uint16_t hdop_c = 90) {
  FixCandidate c;
  c.valid = c.has_position = c.has_date = true;
  c.fix.utc_ms = t;
  c.fix.lat_e7 = lat_e7;
  c.fix.lon_e7 = lon_e7;
  c.fix.hdop_c = hdop_c;
  return c;
}
}  // namespace

TEST(FixFilter, RefusesNoFixPoorHdopOldDatesAndTimeGoingBack) {
  FixFilter f;
  FixCandidate c = at(kT0, 482175583, 84144950);
  c.valid = false;
  EXPECT_EQ(f.check(c), FixVerdict::no_fix);
  c = at(kT0, 482175583, 84144950);
  c.has_date = false;
  EXPECT_EQ(f.check(c), FixVerdict::no_time);
  EXPECT_EQ(f.check(at(kT0, 482175583, 84144950, 501)), FixVerdict::poor_hdop);
  EXPECT_EQ(f.check(at(utc_ms(2009, 12, 9, 15, 25, 5, 0), 482175583, 84144950)), FixVerdict::implausible_time);
  EXPECT_EQ(f.check(at(kT0, 482175583, 84144950, 500)), FixVerdict::accepted);
  EXPECT_EQ(f.check(at(kT0, 482175583, 84144950)), FixVerdict::not_newer);
  EXPECT_EQ(f.check(at(kT0 + 500, 482175583, 84144950)), FixVerdict::too_soon);
  EXPECT_EQ(f.check(at(kT0 + 1000, 482175683, 84144950)), FixVerdict::accepted);
}

TEST(FixFilter, RejectsJumpsAsTheServerDoesAndFollowsANewPlaceAfterThirtySeconds) {
  FixFilter f;
  EXPECT_EQ(f.check(at(kT0, 482175583, 84144950)), FixVerdict::accepted);
  // 1 km in one second: 3600 km/h.
  EXPECT_EQ(f.check(at(kT0 + 1000, 482265583, 84144950)), FixVerdict::jump);
  EXPECT_EQ(f.check(at(kT0 + 2000, 482175683, 84144950)), FixVerdict::accepted);  // back on track: the jump was noise
  // 1.1 km away (0.01° of latitude): refused while it would take more than 240 km/h from the last kept fix (t0+2 s),
  // i.e. for 16 s; 17 s after it, 235 km/h is plausible again. The server, at 250 km/h, takes what the unit takes.
  int64_t t = kT0 + 3000;
  for (; t <= kT0 + 18000; t += 1000) EXPECT_EQ(f.check(at(t, 482275683, 84144950)), FixVerdict::jump) << t - kT0;
  EXPECT_EQ(f.check(at(t, 482275683, 84144950)), FixVerdict::accepted);
  EXPECT_EQ(f.last().lat_e7, 482275683);
}

TEST(FixFilter, FollowsAFarPlaceAfterThirtySecondsWithoutAKeptFix) {
  FixFilter f;
  EXPECT_EQ(f.check(at(kT0, 482175583, 84144950)), FixVerdict::accepted);
  // 100 km away: a jump for 30 s, then followed (the server accepts anything after 30 s without a kept fix).
  EXPECT_EQ(f.check(at(kT0 + 30000, 491175583, 84144950)), FixVerdict::jump);
  EXPECT_EQ(f.check(at(kT0 + 30001, 491175583, 84144950)), FixVerdict::accepted);
}

TEST(FixFilter, SlowDriftAfterALongGapIsNotAJump) {
  FixFilter f;
  EXPECT_EQ(f.check(at(kT0, 482175583, 84144950)), FixVerdict::accepted);
  // 10 km after 10 minutes in a tunnel: 60 km/h.
  EXPECT_EQ(f.check(at(kT0 + 600000, 483075583, 84144950)), FixVerdict::accepted);
}

TEST(FixAssembler, JoinsByTimeAndRollsTheDateOverAtMidnight) {
  FixAssembler a;
  FixCandidate out;
  RmcData r;
  r.time_of_day_ms = 86399000;
  r.valid = r.has_position = true;
  r.lat_e7 = 1, r.lon_e7 = 2;
  r.date_days = int32_t(days_from_civil(2026, 6, 1));
  GgaData g;
  g.time_of_day_ms = 86399000;
  g.quality = 1;
  g.has_position = true;
  g.hdop_c = 80;
  EXPECT_FALSE(a.on_rmc(r, out));
  ASSERT_TRUE(a.on_gga(g, out));
  EXPECT_EQ(out.fix.utc_ms, utc_ms(2026, 6, 1, 23, 59, 59, 0));
  EXPECT_EQ(out.fix.hdop_c, 80);
  // Next epoch only GGA (the receiver's RMC was lost): the date comes from the last RMC, a day later.
  g.time_of_day_ms = 0;
  EXPECT_FALSE(a.on_gga(g, out));
  g.time_of_day_ms = 1000;
  ASSERT_TRUE(a.on_gga(g, out));  // a newer epoch began: the previous one is complete
  EXPECT_TRUE(out.has_date);
  EXPECT_EQ(out.fix.utc_ms, utc_ms(2026, 6, 2, 0, 0, 0, 0));
}
