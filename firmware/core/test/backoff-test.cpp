// Backoff with jitter, Retry-After honoured, and fail-over between endpoints.
#include <gtest/gtest.h>

#include "backoff.h"
#include "endpoint-selector.h"
#include "host-ports.h"
#include "test-support.h"

using namespace tw;
using tw::test::FixedRandom;

TEST(Backoff, GrowsExponentiallyWithJitterUpToTheCap) {
  BackoffSettings s;
  Backoff low(s), high(s);
  FixedRandom zero(0), max(UINT32_MAX);
  const uint32_t expected_step[] = {2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000};
  for (uint32_t step : expected_step) {
    EXPECT_EQ(low.next_delay_ms(-1, zero), step / 2);  // never zero: half the step is fixed
    const uint32_t d = high.next_delay_ms(-1, max);
    EXPECT_GE(d, step / 2);
    EXPECT_LE(d, step);
  }
  low.reset();
  EXPECT_EQ(low.next_delay_ms(-1, zero), 1000u);
}

TEST(Backoff, JitterSpreadsAFleet) {
  // A hundred units failing at the same moment do not all come back at the same moment.
  tw::host::SeededRandom random(42);
  uint32_t smallest = UINT32_MAX, largest = 0;
  for (int unit = 0; unit < 100; unit++) {
    Backoff b;
    b.next_delay_ms(-1, random);
    b.next_delay_ms(-1, random);
    const uint32_t third = b.next_delay_ms(-1, random);
    smallest = std::min(smallest, third), largest = std::max(largest, third);
  }
  EXPECT_GE(smallest, 4000u);
  EXPECT_LE(largest, 8000u);
  EXPECT_GT(largest - smallest, 3000u);
}

TEST(Backoff, HonoursRetryAfterNeverEarlierAndCapsAbsurdOnes) {
  Backoff b;
  FixedRandom zero(0), max(UINT32_MAX);
  EXPECT_EQ(b.next_delay_ms(10, zero), 10000u);
  const uint32_t spread = b.next_delay_ms(10, max);
  EXPECT_GE(spread, 10000u);
  EXPECT_LE(spread, 12000u);  // at most +20 %
  EXPECT_EQ(b.next_delay_ms(0, zero), 0u);
  EXPECT_EQ(b.next_delay_ms(86400, zero), 3600000u);  // capped at an hour
}

TEST(EndpointSelector, FailsOverToTheFallbackAndReturnsToThePrimary) {
  EndpointSelector sel;
  Endpoint primary, fallback;
  ASSERT_TRUE(parse_endpoint_url("https://edge-near.example.com", 29, primary));
  ASSERT_TRUE(parse_endpoint_url("https://edge-far.example.com", 28, fallback));
  ASSERT_TRUE(sel.add(primary));
  ASSERT_TRUE(sel.add(fallback));
  FixedRandom zero(0);
  uint64_t wait = 0;
  EXPECT_EQ(sel.pick(0, wait), 0);
  sel.on_failure(0, 0, -1, zero);  // primary backs off 1 s
  EXPECT_EQ(sel.pick(0, wait), 1);
  sel.on_failure(1, 0, 30, zero);  // fallback: 503 with Retry-After: 30
  EXPECT_EQ(sel.pick(500, wait), -1);
  EXPECT_EQ(wait, 500u);
  EXPECT_EQ(sel.pick(1000, wait), 0);  // nearest first again as soon as it may be tried
  sel.on_success(0);
  EXPECT_EQ(sel.failures(0), 0u);
  EXPECT_EQ(sel.pick(1000, wait), 0);
}
