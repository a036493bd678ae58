#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "usage/hyper_log_log.hpp"

namespace {

using telemetry::HyperLogLog;

double relativeError(double estimate, double truth) { return std::abs(estimate - truth) / truth; }

TEST(HyperLogLogTest, SmallCountsAreAlmostExact) {
  HyperLogLog sketch;
  EXPECT_EQ(sketch.estimate(), 0.0);
  for (int i = 0; i < 100; ++i) sketch.add("worker-" + std::to_string(i));
  for (int i = 0; i < 100; ++i) sketch.add("worker-" + std::to_string(i));  // repeats
  EXPECT_LT(relativeError(sketch.estimate(), 100), 0.02);
}

TEST(HyperLogLogTest, LargeCountsAreWithinAFewPercent) {
  // 1.04 / sqrt(16384) = 0.8 % standard error; 5 % is six of them.
  for (int distinct : {10'000, 1'000'000}) {
    HyperLogLog sketch;
    for (int i = 0; i < distinct; ++i) sketch.add("external-task-worker-" + std::to_string(i));
    EXPECT_LT(relativeError(sketch.estimate(), distinct), 0.05) << distinct;
  }
}

TEST(HyperLogLogTest, MergingCountsTheUnion) {
  HyperLogLog a, b;
  for (int i = 0; i < 30'000; ++i) a.add("w" + std::to_string(i));
  for (int i = 20'000; i < 50'000; ++i) b.add("w" + std::to_string(i));
  a.merge(b);
  EXPECT_LT(relativeError(a.estimate(), 50'000), 0.05);
}

TEST(HyperLogLogTest, SurvivesItsTextForm) {
  HyperLogLog sketch;
  for (int i = 0; i < 5'000; ++i) sketch.add(std::to_string(i));
  auto back = HyperLogLog::fromHex(sketch.toHex());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->estimate(), sketch.estimate());
  EXPECT_FALSE(HyperLogLog::fromHex("not a sketch"));
  EXPECT_FALSE(HyperLogLog::fromHex(std::string(2 * HyperLogLog::kRegisters, 'z')));
}

}  // namespace
