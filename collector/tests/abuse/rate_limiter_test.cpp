#include <gtest/gtest.h>

#include "abuse/rate_limiter.hpp"

namespace telemetry::collector {
namespace {

using namespace std::chrono_literals;
const TokenBucket::Clock::time_point kStart{};

TEST(RateLimiterTest, LimitsEachSenderSeparately) {
  RateLimiter limiter(1, 1);
  std::chrono::seconds retry{};
  EXPECT_TRUE(limiter.allow("hash-a", retry, kStart));
  EXPECT_FALSE(limiter.allow("hash-a", retry, kStart));
  EXPECT_TRUE(limiter.allow("hash-b", retry, kStart));
}

TEST(RateLimiterTest, KeepsASendersBucketAcrossAKeyRotation) {
  RateLimiter limiter(1, 1);
  std::chrono::seconds retry{};
  EXPECT_TRUE(limiter.allow("hash-a-old-key", {}, retry, kStart));
  EXPECT_FALSE(limiter.allow("hash-a-new-key", {"hash-a-old-key"}, retry, kStart));
  EXPECT_FALSE(limiter.allow("hash-a-new-key", {"hash-a-old-key"}, retry, kStart));
  EXPECT_EQ(limiter.trackedSenders(), 1u) << "the bucket moved, not copied";
  EXPECT_TRUE(limiter.allow("hash-b-new-key", {"hash-b-old-key"}, retry, kStart));
}

TEST(RateLimiterTest, ForgetsSendersWhoseBucketRefilled) {
  RateLimiter limiter(60, 1);
  std::chrono::seconds retry{};
  const auto start = TokenBucket::Clock::now();
  limiter.allow("hash-a", retry, start);
  limiter.allow("hash-b", retry, start);
  ASSERT_EQ(limiter.trackedSenders(), 2u);
  limiter.allow("hash-c", retry, start + 2min);
  EXPECT_EQ(limiter.trackedSenders(), 1u);
}

}  // namespace
}  // namespace telemetry::collector
