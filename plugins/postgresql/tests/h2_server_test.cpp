#include "postgresql_probe_results.hpp"

namespace {

using namespace telemetry::test;

TEST(H2ServerTest, is_reported_as_h2_with_its_version_and_build_date) {
  const std::string url = serviceUrl("h2server");
  auto section = sectionOf(postgresqlPlugin().collect(settingsFor(url)));
  const std::string shortVersion = psql(url, "SELECT H2VERSION()");
  const std::string fullVersion = psql(url,
                                       "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
                                       "WHERE SETTING_NAME = 'info.VERSION'");
  EXPECT_EQ(section->getValue<std::string>("vendor"), "h2");
  EXPECT_EQ(section->getValue<std::string>("version"), fullVersion);
  // The report's form, "2.1.214 (2022-06-13)": H2VERSION() followed by the build date.
  EXPECT_TRUE(fullVersion.starts_with(shortVersion + " (")) << fullVersion;
  EXPECT_TRUE(fullVersion.ends_with(")")) << fullVersion;
}

TEST(H2ServerTest, version_is_the_one_h2_names_in_its_version_text) {
  const std::string url = serviceUrl("h2server");
  auto section = sectionOf(postgresqlPlugin().collect(settingsFor(url)));
  const std::string versionText = psql(url, "SELECT version()");
  EXPECT_NE(versionText.find("H2 " + section->getValue<std::string>("version")), std::string::npos)
      << versionText;
}

}  // namespace
