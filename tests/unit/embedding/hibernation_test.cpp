#include "embedding/hibernation.hpp"

#include <gtest/gtest.h>

#include "delivery/reporter.hpp"

namespace {

using namespace std::chrono_literals;
using telemetry::ReporterSchedule;
using telemetry::hibernation::decodeSchedule;
using telemetry::hibernation::encodeSchedule;

std::chrono::system_clock::time_point at(std::int64_t epochMs) {
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(epochMs));
}

TEST(HibernationTest, AScheduleSurvivesTheEnvironment) {
  ReporterSchedule withRetries{at(1'800'000'000'123), 240s, at(1'799'999'000'000), 2min};
  EXPECT_EQ(decodeSchedule(encodeSchedule(withRetries)), withRetries);
  ReporterSchedule plain{at(1'800'000'000'000), 0ms, std::nullopt, 0ms};
  EXPECT_EQ(encodeSchedule(plain), "v1 1800000000000 0 - 0");
  EXPECT_EQ(decodeSchedule(encodeSchedule(plain)), plain);
}

TEST(HibernationTest, AnythingElseIsNotASchedule) {
  for (const char* text : {"", "v1", "v2 1 0 - 0", "v1 1 0 - 0 extra", "v1 x 0 - 0", "v1 1 -5 - 0",
                           "v1 1 0 ? 0", "v1 1 0 - 0 ", "v1  1 0 - 0"}) {
    EXPECT_FALSE(decodeSchedule(text)) << "'" << text << "'";
  }
}

}  // namespace
