// The REST API: the license key set and removed through the API, and how the report shows it.
#include <sstream>

#include "rest_api_fixture.hpp"

namespace {

using namespace telemetry::test::rest_api;

TEST_F(RestApiTest, ALicenseKeySetThroughTheApiIsReportedStructuredAndRemoved) {
  const std::string armoured = std::string("--- BEGIN CAMUNDA LICENSE KEY ---\n") + kSignature +
                               ";" + kLicense + "\n--- END CAMUNDA LICENSE KEY ---\n";
  EXPECT_EQ(call({"PUT", "/telemetry/license-key", kReader, armoured, "text/plain"}).status, 403);
  EXPECT_EQ(call({"PUT", "/telemetry/license-key", kAdmin, "\n", "text/plain"}).status, 400);
  ASSERT_EQ(call({"PUT", "/telemetry/license-key", kAdmin, armoured, "text/plain"}).status, 204);

  auto stored = StateStore(config_.state.path, false).licenseKey();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->source, telemetry::LicenseKeySource::adminWebapp);
  auto license = reportInternals()->getObject("license-key");
  ASSERT_TRUE(license) << "no license-key section";
  EXPECT_EQ(license->getValue<std::string>("customer"), "ACME Corp");
  EXPECT_EQ(license->getValue<std::string>("type"), "UNIFIED");
  EXPECT_EQ(license->getValue<std::string>("valid-until"), "2030-01-31");
  EXPECT_EQ(license->getValue<std::string>("raw"), kLicense);
  std::ostringstream text;
  license->stringify(text);
  EXPECT_EQ(text.str().find(kSignature), std::string::npos) << "never the signature";

  EXPECT_EQ(call({"DELETE", "/telemetry/license-key", kReader}).status, 403);
  EXPECT_EQ(call({"DELETE", "/telemetry/license-key", kAdmin}).status, 204);
  EXPECT_FALSE(StateStore(config_.state.path, false).licenseKey());
  EXPECT_FALSE(reportInternals()->has("license-key"));
}

// Camunda keeps a key's structured data when the same key is set again another way.
TEST_F(RestApiTest, TheSameKeyStoredAgainWithLicenseSetStaysStructured) {
  const std::string key = std::string(kSignature) + ";" + kLicense;
  ASSERT_EQ(call({"PUT", "/telemetry/license-key", kAdmin, key, "text/plain"}).status, 204);
  // What `telemetry license set` does with the same key from a file.
  StateStore(config_.state.path, false)
      .setLicenseKey(key + "\n", telemetry::LicenseKeySource::management);
  auto license = reportInternals()->getObject("license-key");
  ASSERT_TRUE(license) << "no license-key section";
  EXPECT_EQ(license->optValue<std::string>("customer", "(none)"), "ACME Corp");
  EXPECT_EQ(license->getValue<std::string>("raw"), kLicense);
}

}  // namespace
