#include <gtest/gtest.h>

#include "abuse/token_bucket.hpp"

namespace telemetry::collector {
namespace {

using namespace std::chrono_literals;
const TokenBucket::Clock::time_point t0{};

TEST(TokenBucketTest, allows_a_burst) {
  TokenBucket bucket(60, 3, t0);
  std::chrono::seconds retry{};
  EXPECT_TRUE(bucket.take(t0, retry));
  EXPECT_TRUE(bucket.take(t0, retry));
  EXPECT_TRUE(bucket.take(t0, retry));
}

TEST(TokenBucketTest, refuses_beyond_the_burst_with_a_retry_time) {
  TokenBucket bucket(6, 1, t0);  // one token every 10 s
  std::chrono::seconds retry{};
  ASSERT_TRUE(bucket.take(t0, retry));
  EXPECT_FALSE(bucket.take(t0 + 1s, retry));
  EXPECT_EQ(retry, 9s);
}

TEST(TokenBucketTest, refills_at_the_configured_rate) {
  TokenBucket bucket(60, 1, t0);
  std::chrono::seconds retry{};
  ASSERT_TRUE(bucket.take(t0, retry));
  EXPECT_FALSE(bucket.take(t0 + 500ms, retry));
  EXPECT_TRUE(bucket.take(t0 + 1s, retry));
}

TEST(TokenBucketTest, never_holds_more_than_the_burst) {
  TokenBucket bucket(60, 2, t0);
  std::chrono::seconds retry{};
  const auto later = t0 + 1h;
  EXPECT_TRUE(bucket.take(later, retry));
  EXPECT_TRUE(bucket.take(later, retry));
  EXPECT_FALSE(bucket.take(later, retry));
}

TEST(TokenBucketTest, asks_for_at_least_one_second) {
  TokenBucket bucket(6000, 1, t0);
  std::chrono::seconds retry{};
  ASSERT_TRUE(bucket.take(t0, retry));
  EXPECT_FALSE(bucket.take(t0, retry));
  EXPECT_EQ(retry, 1s);
}

TEST(TokenBucketTest, reports_full_once_refilled) {
  TokenBucket bucket(60, 2, t0);
  std::chrono::seconds retry{};
  ASSERT_TRUE(bucket.take(t0, retry));
  EXPECT_FALSE(bucket.isFull(t0));
  EXPECT_TRUE(bucket.isFull(t0 + 1s));
}

}  // namespace
}  // namespace telemetry::collector
