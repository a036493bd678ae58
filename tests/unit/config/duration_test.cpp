#include "config/duration.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using telemetry::formatDuration;
using telemetry::parseDuration;

TEST(DurationTest, ReadsPlainNumbersAsSeconds) { EXPECT_EQ(parseDuration("90"), 90s); }

TEST(DurationTest, ReadsEveryUnit) {
  EXPECT_EQ(parseDuration("500ms"), 500ms);
  EXPECT_EQ(parseDuration("15s"), 15s);
  EXPECT_EQ(parseDuration("10m"), 10min);
  EXPECT_EQ(parseDuration("24h"), 24h);
}

TEST(DurationTest, RejectsWhatIsNotADuration) {
  for (const char* bad : {"", "h", "-5s", "5 s", "5d", "1.5h", "s5", "99999999999999999999h"}) {
    EXPECT_FALSE(parseDuration(bad).has_value()) << bad;
  }
}

TEST(DurationTest, FormatsWithTheLargestExactUnit) {
  EXPECT_EQ(formatDuration(24h), "24h");
  EXPECT_EQ(formatDuration(90s), "90s");
  EXPECT_EQ(formatDuration(1500ms), "1500ms");
  EXPECT_EQ(formatDuration(0ms), "0s");
}
