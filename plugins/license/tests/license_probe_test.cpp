// The license plugin reads the key the host passes as the "license-key" fact.
#include <gtest/gtest.h>

#include "telemetry/plugin/testing.hpp"

using telemetry::plugin::Result;
using telemetry::plugin::testing::PluginHarness;

namespace {

class LicenseProbeTest : public ::testing::Test {
 protected:
  PluginHarness plugin_{TELEMETRY_PLUGIN_FILE};
};

}  // namespace

TEST_F(LicenseProbeTest, fills_the_license_key_section) {
  EXPECT_STREQ(plugin_.descriptor().section, "/product/internals/license-key");
}

constexpr const char* kArmouredKey =
    "--- BEGIN CAMUNDA LICENSE KEY ---\n"
    "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuTWFueSBoYW5k;customer=ACME;"
    "expiryDate=2030-01-31;camundaBPM=true\n--- END CAMUNDA LICENSE KEY ---\n";

TEST_F(LicenseProbeTest, reports_a_key_set_through_the_admin_webapp_structured_without_signature) {
  Result result = plugin_.collect(
      "{}", {{"license-key", kArmouredKey}, {"license-key-source", "admin-webapp"}});
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  EXPECT_EQ(result.text(),
            R"({"customer":"ACME","type":"UNIFIED","valid-until":"2030-01-31","unlimited":false,)"
            R"("features":{"camundaBPM":"true"},)"
            R"("raw":"customer=ACME;expiryDate=2030-01-31;camundaBPM=true"})");
}

TEST_F(LicenseProbeTest, reports_a_key_set_any_other_way_as_raw_text_only) {
  for (const char* source : {"management", ""}) {
    Result result =
        plugin_.collect("{}", {{"license-key", kArmouredKey}, {"license-key-source", source}});
    ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
    EXPECT_EQ(result.text(), R"({"raw":"customer=ACME;expiryDate=2030-01-31;camundaBPM=true"})")
        << source;
  }
  EXPECT_EQ(plugin_.collect("{}", {{"license-key", kArmouredKey}}).text(),
            R"({"raw":"customer=ACME;expiryDate=2030-01-31;camundaBPM=true"})");
}

TEST_F(LicenseProbeTest, is_not_applicable_without_a_stored_key) {
  EXPECT_EQ(plugin_.collect("{}").kind(), Result::Kind::not_applicable);
}

TEST_F(LicenseProbeTest, is_not_applicable_for_an_empty_key) {
  EXPECT_EQ(plugin_.collect("{}", {{"license-key", " \n"}}).kind(), Result::Kind::not_applicable);
}

TEST_F(LicenseProbeTest, rejects_any_setting_naming_plugin_and_key) {
  Result result = plugin_.collect(R"({"file":"/etc/key"})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'license'"), std::string::npos) << result.text();
  EXPECT_NE(result.text().find("'file'"), std::string::npos) << result.text();
}
