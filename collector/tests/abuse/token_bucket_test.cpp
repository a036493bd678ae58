#include <gtest/gtest.h>

#include "abuse/token_bucket.hpp"

namespace telemetry::collector {
namespace {

using namespace std::chrono_literals;
const TokenBucket::Clock::time_point t0{};

TEST(TokenBucketTest, AllowsABurst) {
  TokenBucket bucket(60, 3, t0);
  std::chrono::seconds retry{};
  EXPECT_TRUE(bucket.take(t0, retry));
  EXPECT_TRUE(bucket.take(t0, retry));
  EXPECT_TRUE(bucket.take(t0, retry));
}

TEST(TokenBucketTest, RefusesBeyondTheBurstWithARetryTime) {
  TokenBucket bucket(6, 1, t0);  // one token every 10 s
  std::chrono::seconds retry{};
  ASSERT_TRUE(bucket.take(t0, retry));
  EXPECT_FALSE(bucket.take(t0 + 1s, retry));
  EXPECT_EQ(retry, 9s);
}

TEST(TokenBucketTest, RefillsAtTheConfiguredRate) {
  TokenBucket bucket(60, 1, t0);
  std::chrono::seconds retry{};
  ASSERT_TRUE(bucket.take(t0, retry));
  EXPECT_FALSE(bucket.take(t0 + 500ms, retry));
  EXPECT_TRUE(bucket.take(t0 + 1s, retry));
}

TEST(TokenBucketTest, NeverHoldsMoreThanTheBurst) {
  TokenBucket bucket(60, 2, t0);
  std::chrono::seconds retry{};
  const auto later = t0 + 1h;
  EXPECT_TRUE(bucket.take(later, retry));
  EXPECT_TRUE(bucket.take(later, retry));
  EXPECT_FALSE(bucket.take(later, retry));
}

TEST(TokenBucketTest, AsksForAtLeastOneSecond) {
  TokenBucket bucket(6000, 1, t0);
  std::chrono::seconds retry{};
  ASSERT_TRUE(bucket.take(t0, retry));
  EXPECT_FALSE(bucket.take(t0, retry));
  EXPECT_EQ(retry, 1s);
}

TEST(TokenBucketTest, ReportsFullOnceRefilled) {
  TokenBucket bucket(60, 2, t0);
  std::chrono::seconds retry{};
  ASSERT_TRUE(bucket.take(t0, retry));
  EXPECT_FALSE(bucket.isFull(t0));
  EXPECT_TRUE(bucket.isFull(t0 + 1s));
}

}  // namespace
}  // namespace telemetry::collector
