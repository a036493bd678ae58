// LoginThrottle with its clock in the test's hands: free failures, doubling lockouts, the
// cap, forgetting after a quiet time, and bounded memory.
#include "api/auth/login_throttle.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using telemetry::api::LoginThrottle;
using telemetry::api::LoginThrottleLimits;

const LoginThrottle::Clock::time_point t0{std::chrono::hours(1000)};

TEST(LoginThrottleTest, FiveFailuresAreFreeThenLockoutsDoubleUpToTheCap) {
  LoginThrottle throttle;
  for (int i = 0; i < 4; ++i) {
    throttle.recordFailure("10.0.0.1", t0);
    EXPECT_EQ(throttle.retryAfter("10.0.0.1", t0), 0ms) << "failure " << i + 1;
  }
  throttle.recordFailure("10.0.0.1", t0);
  EXPECT_EQ(throttle.retryAfter("10.0.0.1", t0), 1000ms) << "the sixth attempt must wait";
  EXPECT_EQ(throttle.retryAfter("10.0.0.1", t0 + 1s), 0ms);
  throttle.recordFailure("10.0.0.1", t0 + 1s);
  EXPECT_EQ(throttle.retryAfter("10.0.0.1", t0 + 1s), 2000ms);
  throttle.recordFailure("10.0.0.1", t0 + 3s);
  EXPECT_EQ(throttle.retryAfter("10.0.0.1", t0 + 3s), 4000ms);
  for (int i = 0; i < 30; ++i) throttle.recordFailure("10.0.0.1", t0 + 4s);
  EXPECT_EQ(throttle.retryAfter("10.0.0.1", t0 + 4s), std::chrono::milliseconds(5min));
  EXPECT_EQ(throttle.retryAfter("10.0.0.2", t0 + 4s), 0ms) << "other addresses are not slowed";
}

TEST(LoginThrottleTest, AQuietQuarterOfAnHourForgetsTheFailures) {
  LoginThrottle throttle;
  for (int i = 0; i < 6; ++i) throttle.recordFailure("10.0.0.1", t0);
  throttle.recordFailure("10.0.0.1", t0 + 16min);
  EXPECT_EQ(throttle.retryAfter("10.0.0.1", t0 + 16min), 0ms) << "counting starts again";
}

TEST(LoginThrottleTest, RemembersABoundedNumberOfAddresses) {
  LoginThrottleLimits limits;
  limits.maxAddresses = 100;
  LoginThrottle throttle(limits);
  for (int i = 0; i < 1000; ++i) {
    throttle.recordFailure("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), t0);
  }
  EXPECT_LE(throttle.trackedAddresses(), 100u);
  // The newest attacker is still tracked.
  for (int i = 0; i < 6; ++i) throttle.recordFailure("10.9.9.9", t0);
  EXPECT_GT(throttle.retryAfter("10.9.9.9", t0), 0ms);
}

}  // namespace
