#include "telemetry/plugins/installation_home.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "telemetry/plugins/testing/temp_dir.hpp"

using telemetry::plugin::Result;
using telemetry::plugins::InstallationHome;
using telemetry::plugins::Settings;

namespace {
constexpr const char* kVariable = "TELEMETRY_TEST_SERVER_HOME";
}

TEST(InstallationHomeTest, prefers_the_setting_over_the_environment) {
  ::setenv(kVariable, "/from/env", 1);
  Settings settings("test", R"({"home":"/from/setting"})", {"home"});
  auto home = InstallationHome::resolve(settings, "home", kVariable);
  ::unsetenv(kVariable);
  ASSERT_TRUE(home.has_value());
  EXPECT_EQ(home->path(), "/from/setting");
}

TEST(InstallationHomeTest, falls_back_to_the_environment_variable) {
  ::setenv(kVariable, "/from/env", 1);
  auto home = InstallationHome::resolve(Settings("test", "{}", {"home"}), "home", kVariable);
  ::unsetenv(kVariable);
  ASSERT_TRUE(home.has_value());
  EXPECT_EQ(home->origin(), kVariable);
}

TEST(InstallationHomeTest, is_absent_without_setting_or_environment) {
  ::unsetenv(kVariable);
  EXPECT_FALSE(
      InstallationHome::resolve(Settings("test", "{}", {"home"}), "home", kVariable).has_value());
}

TEST(InstallationHomeTest, reports_a_configured_home_lacking_files_as_an_error) {
  auto home =
      InstallationHome::resolve(Settings("test", R"({"home":"/x"})", {"home"}), "home", kVariable);
  EXPECT_EQ(home->missing("has no lib").kind(), Result::Kind::error);
}

TEST(InstallationHomeTest, reports_an_environment_home_lacking_files_as_not_applicable) {
  ::setenv(kVariable, "/from/env", 1);
  auto home = InstallationHome::resolve(Settings("test", "{}", {"home"}), "home", kVariable);
  ::unsetenv(kVariable);
  EXPECT_EQ(home->missing("has no lib").kind(), Result::Kind::not_applicable);
}

TEST(InstallationHomeTest, knows_whether_the_directory_exists) {
  telemetry::plugins::testing::TempDir dir;
  auto home = InstallationHome::resolve(
      Settings("test", "{\"home\":\"" + dir.path().string() + "\"}", {"home"}), "home", kVariable);
  EXPECT_TRUE(home->exists());
}
