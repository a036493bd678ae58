#include "telemetry/settings/did_you_mean.hpp"

#include <array>
#include <string_view>

#include <gtest/gtest.h>

#include "telemetry/plugin/suggest.hpp"

using telemetry::settings::closestMatch;
using telemetry::settings::didYouMean;
using telemetry::settings::editDistance;

namespace {

constexpr std::array<std::string_view, 4> kKeys{"reporting-period", "request-timeout", "proxy",
                                                "endpoint"};

TEST(DidYouMeanTest, CountsEditsBetweenWords) {
  EXPECT_EQ(editDistance("proxy", "proxy"), 0u);
  EXPECT_EQ(editDistance("proxi", "proxy"), 1u);
  EXPECT_EQ(editDistance("", "abc"), 3u);
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
}

TEST(DidYouMeanTest, SuggestsTheClosestKey) {
  EXPECT_EQ(didYouMean("reportng-period", kKeys), " (did you mean 'reporting-period'?)");
  EXPECT_EQ(didYouMean("endpiont", kKeys), " (did you mean 'endpoint'?)");
}

TEST(DidYouMeanTest, SuggestsNothingWhenNoKeyIsClose) {
  EXPECT_EQ(closestMatch("database", kKeys), "");
  EXPECT_EQ(didYouMean("colour", kKeys), "");
}

// Plugins call it through the SDK's header, which must stay the same function.
TEST(DidYouMeanTest, ThePluginSdkHeaderSaysTheSame) {
  EXPECT_EQ(telemetry::plugin::didYouMean("proxi", kKeys), didYouMean("proxi", kKeys));
  EXPECT_EQ(telemetry::plugin::editDistance("a", "b"), 1u);
}

}  // namespace
