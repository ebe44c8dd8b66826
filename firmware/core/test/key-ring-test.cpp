// Key rotation (X-Device-Next-Key) as agreed with the server side: saved atomically, used from the next request,
// confirmed by the first 2xx with it, reverted if refused before that.
#include <gtest/gtest.h>

#include <cstring>

#include "key-ring.h"
#include "test-support.h"

using namespace tw;
using tw::test::MemorySettings;

namespace {
const char* kOld = "twd_oldoldoldoldoldoldoldoldoldoldoldoldold0";
const char* kNew = "twd_newnewnewnewnewnewnewnewnewnewnewnewnew1";

HttpResponse answer(int status, const char* next_key = "", const char* expires = "") {
  HttpResponse r;
  r.status = status;
  std::strcpy(r.next_key, next_key);
  std::strcpy(r.next_key_expires_at, expires);
  return r;
}
}  // namespace

TEST(KeyRing, RotatesSavesAtomicallyAndConfirms) {
  MemorySettings store;
  KeyRing keys(store);
  EXPECT_FALSE(keys.load());
  ASSERT_TRUE(keys.provision(kOld));
  EXPECT_EQ(keys.on_answer(kOld, answer(202)), KeyEvent::none);
  EXPECT_EQ(keys.on_answer(kOld, answer(202, kNew, "2026-09-01T00:00:00Z")), KeyEvent::rotated);
  EXPECT_STREQ(keys.current(), kNew);
  EXPECT_STREQ(keys.previous(), kOld);
  EXPECT_EQ(keys.expires_at_ms(), 1788220800000);
  // A reboot now: the saved record already holds the new key.
  KeyRing rebooted(store);
  ASSERT_TRUE(rebooted.load());
  EXPECT_STREQ(rebooted.current(), kNew);
  // The offer repeated on an answer to a request still in flight with the old key changes nothing.
  EXPECT_EQ(rebooted.on_answer(kOld, answer(202, kNew)), KeyEvent::none);
  EXPECT_EQ(rebooted.on_answer(kNew, answer(202)), KeyEvent::confirmed);
  EXPECT_STREQ(rebooted.previous(), "");
  KeyRing again(store);
  ASSERT_TRUE(again.load());
  EXPECT_STREQ(again.previous(), "");
}

TEST(KeyRing, ASaveThatFailsLeavesTheOldKeyInUse) {
  MemorySettings store;
  KeyRing keys(store);
  ASSERT_TRUE(keys.provision(kOld));
  store.fail_saves = true;  // power lost before the write completed
  EXPECT_EQ(keys.on_answer(kOld, answer(200, kNew)), KeyEvent::save_failed);
  EXPECT_STREQ(keys.current(), kOld);
  KeyRing rebooted(store);
  ASSERT_TRUE(rebooted.load());
  EXPECT_STREQ(rebooted.current(), kOld);
  store.fail_saves = false;  // the server repeats the offer on every answer until the new key is used
  EXPECT_EQ(rebooted.on_answer(kOld, answer(200, kNew)), KeyEvent::rotated);
}

TEST(KeyRing, RevertsWhenTheNewKeyIsRefusedAndStopsWhenNoKeyIsLeft) {
  MemorySettings store;
  KeyRing keys(store);
  ASSERT_TRUE(keys.provision(kOld));
  ASSERT_EQ(keys.on_answer(kOld, answer(202, kNew)), KeyEvent::rotated);
  EXPECT_EQ(keys.on_answer(kNew, answer(401)), KeyEvent::reverted);
  EXPECT_STREQ(keys.current(), kOld);
  EXPECT_FALSE(keys.refused());
  EXPECT_EQ(keys.on_answer(kOld, answer(401)), KeyEvent::refused);
  EXPECT_TRUE(keys.refused());
  EXPECT_EQ(keys.on_answer(kOld, answer(202)), KeyEvent::none);
  EXPECT_FALSE(keys.refused());
}

TEST(KeyRing, IgnoresMalformedOffersAndCorruptRecords) {
  MemorySettings store;
  KeyRing keys(store);
  ASSERT_TRUE(keys.provision(kOld));
  EXPECT_EQ(keys.on_answer(kOld, answer(202, "not-a-key")), KeyEvent::none);
  EXPECT_EQ(keys.on_answer(kOld, answer(202, "twd_short")), KeyEvent::none);
  EXPECT_EQ(keys.on_answer(kOld, answer(202, "twd_has space inside it 0123456789")), KeyEvent::none);
  EXPECT_EQ(keys.on_answer(kOld, answer(202, kOld)), KeyEvent::none);
  EXPECT_FALSE(keys.provision("twd_bad key"));
  store.values[KeyRing::kSettingName][10] ^= 1;  // a flipped bit
  KeyRing rebooted(store);
  EXPECT_FALSE(rebooted.load());
}
