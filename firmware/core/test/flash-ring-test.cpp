// The offline buffer across power loss: oldest first, bounded, never handing out a fix twice once acknowledged,
// never programming a bit back to 1, and recovering from a cut at every byte of a write or an erase.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "flash-ring.h"
#include "test-support.h"

using namespace tw;
using tw::test::SimFlash;

namespace {

Fix fix_at(int64_t t) {
  Fix f;
  f.utc_ms = t;
  f.lat_e7 = int32_t(t % 900000000);
  f.lon_e7 = 1;
  return f;
}

std::vector<int64_t> drain(FlashRing& ring, size_t batch = 7) {
  std::vector<int64_t> got;
  Fix buf[64];
  for (;;) {
    uint32_t last = 0;
    const size_t n = ring.peek(buf, batch, last);
    if (n == 0) break;
    for (size_t i = 0; i < n; i++) got.push_back(buf[i].utc_ms);
    EXPECT_TRUE(ring.ack(last));
  }
  return got;
}

}  // namespace

TEST(FlashRing, HandsOutOldestFirstAndSurvivesARemount) {
  SimFlash flash(4096, 6);
  FlashRing ring(flash);
  ASSERT_TRUE(ring.mount());
  EXPECT_EQ(ring.capacity(), 4u * (4096 / 40));
  for (int i = 1; i <= 250; i++) ASSERT_TRUE(ring.append(fix_at(i)));
  Fix buf[10];
  uint32_t last = 0;
  ASSERT_EQ(ring.peek(buf, 10, last), 10u);
  EXPECT_EQ(buf[0].utc_ms, 1);
  EXPECT_EQ(buf[9].utc_ms, 10);
  ASSERT_TRUE(ring.ack(last));
  // Power off and on: what was acknowledged stays acknowledged; the rest comes out in order.
  FlashRing after(flash);
  ASSERT_TRUE(after.mount());
  EXPECT_EQ(after.pending(), 240u);
  const std::vector<int64_t> got = drain(after);
  ASSERT_EQ(got.size(), 240u);
  for (size_t i = 0; i < got.size(); i++) EXPECT_EQ(got[i], int64_t(i + 11));
  EXPECT_EQ(flash.rewrites, 0u);
}

TEST(FlashRing, IsBoundedAndDropsTheOldestSectorWhenFull) {
  SimFlash flash(4096, 4);  // 2 record sectors of 102 slots
  FlashRing ring(flash);
  ASSERT_TRUE(ring.mount());
  for (int i = 1; i <= 500; i++) ASSERT_TRUE(ring.append(fix_at(i)));
  EXPECT_LE(ring.pending(), ring.capacity());
  EXPECT_EQ(ring.pending() + ring.dropped(), 500u);
  EXPECT_GT(ring.dropped(), 0u);
  const uint32_t dropped = ring.dropped();
  const std::vector<int64_t> got = drain(ring);
  ASSERT_EQ(got.size(), 500u - dropped);
  for (size_t i = 1; i < got.size(); i++) EXPECT_EQ(got[i], got[i - 1] + 1);
  EXPECT_EQ(got.back(), 500);
  EXPECT_EQ(flash.rewrites, 0u);
}

TEST(FlashRing, KeepsWorkingAcrossManyLapsAndJournalSectorSwitches) {
  SimFlash flash(4096, 5);
  std::vector<int64_t> delivered;
  int64_t next = 1;
  for (int boot = 0; boot < 40; boot++) {
    FlashRing ring(flash);
    ASSERT_TRUE(ring.mount());
    for (int i = 0; i < 37; i++) ASSERT_TRUE(ring.append(fix_at(next++)));
    for (int64_t t : drain(ring, 5)) delivered.push_back(t);
  }
  ASSERT_EQ(delivered.size(), size_t(next - 1));  // 40 × 37 fixes, 300 acknowledgements: the journal wrapped
  for (size_t i = 0; i < delivered.size(); i++) EXPECT_EQ(delivered[i], int64_t(i + 1));
  EXPECT_EQ(flash.rewrites, 0u);
}

// The heart of it: cut the power after every possible number of bytes during a run of appends and
// acknowledgements. After each cut the unit boots: every fix acknowledged before the cut is never handed out
// again, every fix whose append had returned is handed out exactly once, in order.
TEST(FlashRing, PowerCutAtEveryByteLosesNothingAndRepeatsNothing) {
  long cuts = 0;
  for (long budget = 0; budget < 5000; budget += 7) {
    SimFlash flash(512, 6);  // small sectors: erases, sector changes and journal switches happen within the run
    std::set<int64_t> appended, acked;
    int64_t t = 1;
    {
      FlashRing ring(flash);
      ASSERT_TRUE(ring.mount());
      flash.cut_after_bytes(budget);
      for (int step = 0; step < 60 && !flash.dead(); step++) {
        if (ring.append(fix_at(t))) appended.insert(t);
        t++;
        if (step % 4 == 3) {
          Fix buf[8];
          uint32_t last;
          const size_t n = ring.peek(buf, 3, last);
          if (n > 0 && ring.ack(last)) {
            for (size_t i = 0; i < n; i++) acked.insert(buf[i].utc_ms);
          }
        }
      }
    }
    if (!flash.dead()) continue;
    cuts++;
    flash.power_on();
    FlashRing ring(flash);
    ASSERT_TRUE(ring.mount()) << budget;
    const std::vector<int64_t> got = drain(ring);
    std::set<int64_t> seen;
    for (size_t i = 0; i < got.size(); i++) {
      EXPECT_TRUE(seen.insert(got[i]).second) << "handed out twice at budget " << budget;
      EXPECT_EQ(acked.count(got[i]), 0u) << "acknowledged fix handed out again at budget " << budget;
      if (i > 0) EXPECT_GT(got[i], got[i - 1]) << budget;
    }
    // Bounded ring: the oldest can be dropped, but never a fix newer than the oldest one delivered.
    for (int64_t a : appended) {
      if (!acked.count(a) && !got.empty() && a >= got.front()) EXPECT_TRUE(seen.count(a)) << "lost " << a << " at budget " << budget;
    }
    // And it keeps working after the cut.
    ASSERT_TRUE(ring.append(fix_at(100000)));
    Fix buf[4];
    uint32_t last;
    ASSERT_EQ(ring.peek(buf, 4, last), 1u);
    EXPECT_EQ(buf[0].utc_ms, 100000);
    EXPECT_EQ(flash.rewrites, 0u);
  }
  EXPECT_GT(cuts, 300);
}

TEST(FlashRing, SkipsATornRecordAndNeverProgramsOverIt) {
  SimFlash flash(4096, 4);
  {
    FlashRing ring(flash);
    ASSERT_TRUE(ring.mount());
    ASSERT_TRUE(ring.append(fix_at(1)));
    flash.cut_after_bytes(20);  // half of the second record
    EXPECT_FALSE(ring.append(fix_at(2)));
  }
  flash.power_on();
  FlashRing ring(flash);
  ASSERT_TRUE(ring.mount());
  ASSERT_TRUE(ring.append(fix_at(3)));
  EXPECT_EQ(drain(ring), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(flash.rewrites, 0u);
}

TEST(FlashRing, RefusesARegionTooSmall) {
  SimFlash flash(4096, 3);
  FlashRing ring(flash);
  EXPECT_FALSE(ring.mount());
}
