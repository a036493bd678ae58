#include "telemetry/plugin/suggest.hpp"

#include <array>
#include <string_view>

#include <gtest/gtest.h>

using telemetry::plugin::closestMatch;

constexpr std::array<std::string_view, 3> kKeys = {"reporting-period", "request-timeout", "proxy"};

TEST(SuggestTest, FindsTheKeyAMisspellingMeant) {
  EXPECT_EQ(closestMatch("reportng-period", kKeys), "reporting-period");
  EXPECT_EQ(closestMatch("proxi", kKeys), "proxy");
}

TEST(SuggestTest, SuggestsNothingForAnUnrelatedWord) {
  EXPECT_EQ(closestMatch("database", kKeys), "");
}
