#include "telemetry/settings/duration.hpp"

#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace std::chrono_literals;
using telemetry::settings::formatDuration;
using telemetry::settings::parseDuration;

namespace {

std::string durationProblem(std::string_view text) {
  try {
    parseDuration(text);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "<no problem>";
}

TEST(DurationTest, ReadsPlainNumbersAsSeconds) { EXPECT_EQ(parseDuration("90"), 90s); }

TEST(DurationTest, ReadsEveryUnit) {
  EXPECT_EQ(parseDuration("500ms"), 500ms);
  EXPECT_EQ(parseDuration("15s"), 15s);
  EXPECT_EQ(parseDuration("10m"), 10min);
  EXPECT_EQ(parseDuration("24h"), 24h);
  EXPECT_EQ(parseDuration("400d"), 400 * 24h);
}

TEST(DurationTest, RejectsWhatIsNotADuration) {
  for (const char* bad : {"", "h", "-5s", "s5", "+5s"}) {
    EXPECT_EQ(durationProblem(bad), "'" + std::string(bad) +
                                        "' is not a duration (e.g. 500ms, 15s, "
                                        "10m, 24h)");
  }
  for (const char* bad : {"5 s", "1.5h", "5w", "5D", "5sec"}) {
    EXPECT_EQ(durationProblem(bad),
              "'" + std::string(bad) + "' has an unknown unit (use ms, s, m, h or d)");
  }
}

TEST(DurationTest, AcceptsAHundredYearsAndNoMore) {
  EXPECT_EQ(parseDuration("36500d"), 36500 * 24h);
  for (const char* bad : {"36501d", "876001h", "18446744073709551615ms", "99999999999999999999h"}) {
    EXPECT_EQ(durationProblem(bad), "'" + std::string(bad) + "' is longer than 100 years");
  }
}

TEST(DurationTest, FormatsWithTheLargestExactUnit) {
  EXPECT_EQ(formatDuration(400 * 24h), "400d");
  EXPECT_EQ(formatDuration(24h), "1d");
  EXPECT_EQ(formatDuration(36h), "36h");
  EXPECT_EQ(formatDuration(90min), "90m");
  EXPECT_EQ(formatDuration(90s), "90s");
  EXPECT_EQ(formatDuration(1500ms), "1500ms");
  EXPECT_EQ(formatDuration(0ms), "0s");
}

TEST(DurationTest, ReadsBackWhatItFormats) {
  for (auto duration : {1ms, 999ms, 1000ms, 61000ms, 3600000ms, 86400000ms, 90061001ms}) {
    EXPECT_EQ(parseDuration(formatDuration(duration)), duration) << formatDuration(duration);
  }
}

}  // namespace
