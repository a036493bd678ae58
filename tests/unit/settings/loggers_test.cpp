#include "telemetry/settings/loggers.hpp"

#include <gtest/gtest.h>

using telemetry::settings::logger;
using telemetry::settings::logLevelChoice;
using telemetry::settings::setLogLevel;

namespace {

constexpr const char* kPattern = "%l [%n] %v";

TEST(LoggersTest, GivesTheSameLoggerForTheSameName) {
  EXPECT_EQ(logger("settings-test.same", kPattern), logger("settings-test.same", "%v"));
}

TEST(LoggersTest, SetsTheLevelOfLoggersMadeBeforeAndAfter) {
  auto before = logger("settings-test.before", kPattern);
  ASSERT_TRUE(setLogLevel("debug"));
  auto after = logger("settings-test.after", kPattern);
  EXPECT_EQ(before->level(), spdlog::level::debug);
  EXPECT_EQ(after->level(), spdlog::level::debug);
  ASSERT_TRUE(setLogLevel("info"));
  EXPECT_EQ(before->level(), spdlog::level::info);
}

TEST(LoggersTest, RefusesLevelNamesTheConfigurationDoesNotTake) {
  auto log = logger("settings-test.refuse", kPattern);
  ASSERT_TRUE(setLogLevel("info"));
  EXPECT_FALSE(setLogLevel("warning"));
  EXPECT_FALSE(setLogLevel("INFO"));
  EXPECT_EQ(log->level(), spdlog::level::info);
}

TEST(LoggersTest, ListsTheLevelsWithASuggestion) {
  EXPECT_EQ(logLevelChoice("inf"),
            "must be one of trace, debug, info, warn, error, critical, off, not 'inf' (did you "
            "mean 'info'?)");
}

}  // namespace
