// The jetty plugin against the real Jetty 9 server jar from Debian (libjetty9-java).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "telemetry/plugin/testing.hpp"
#include "telemetry/plugins/testing/command_output.hpp"
#include "telemetry/plugins/testing/temp_dir.hpp"
#include "telemetry/plugins/testing/zip_builder.hpp"
#include "telemetry/plugins/vendor_version.hpp"

using telemetry::plugin::Result;
using telemetry::plugin::testing::PluginHarness;
using telemetry::plugins::VendorVersion;
using telemetry::plugins::testing::commandOutput;
using telemetry::plugins::testing::TempDir;
using telemetry::plugins::testing::ZipBuilder;

namespace {

const std::filesystem::path kDebianServerJar = "/usr/share/java/jetty9-server.jar";

class JettyProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("JETTY_HOME");
    ASSERT_TRUE(std::filesystem::exists(kDebianServerJar))
        << "install libjetty9-java (scripts/deps)";
  }
  // A jetty.home laid out like the Jetty distribution, lib/jetty-server-<version>.jar.
  std::filesystem::path makeHome() const {
    std::filesystem::create_directories(dir_ / "lib");
    std::filesystem::create_symlink(kDebianServerJar,
                                    dir_ / "lib" / ("jetty-server-" + versionFromJar() + ".jar"));
    return dir_.path();
  }
  static std::string homeSettings(const std::filesystem::path& home) {
    return "{\"home\":\"" + home.string() + "\"}";
  }
  // What the jar declares, read with unzip (manifest lines are short enough to grep).
  static std::string versionFromJar() {
    return commandOutput("unzip -p '" + kDebianServerJar.string() +
                         "' META-INF/MANIFEST.MF | tr -d '\\r'"
                         " | sed -n 's/^Implementation-Version: //p'");
  }
  TempDir dir_;
  PluginHarness plugin_{TELEMETRY_PLUGIN_FILE};
};

}  // namespace

TEST_F(JettyProbeTest, fills_the_application_server_section) {
  EXPECT_STREQ(plugin_.descriptor().section, "/product/internals/application-server");
}

TEST_F(JettyProbeTest, reports_the_version_of_the_real_server_jar) {
  Result result = plugin_.collect(homeSettings(makeHome()));
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  std::string expected = versionFromJar();
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(result.text(), (VendorVersion{"Jetty", "jetty/" + expected}.toJson()));
}

TEST_F(JettyProbeTest, finds_the_debian_jar_name) {
  std::filesystem::create_directories(dir_ / "lib");
  std::filesystem::create_symlink(kDebianServerJar, dir_ / "lib" / "jetty9-server.jar");
  Result result = plugin_.collect(homeSettings(dir_.path()));
  EXPECT_EQ(result.text(), (VendorVersion{"Jetty", "jetty/" + versionFromJar()}.toJson()));
}

TEST_F(JettyProbeTest, falls_back_to_the_file_name_without_manifest_version) {
  ZipBuilder()
      .add("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
      .writeTo(dir_ / "lib" / "jetty-server-9.4.1.v1.jar");
  Result result = plugin_.collect(homeSettings(dir_.path()));
  EXPECT_EQ(result.text(), (VendorVersion{"Jetty", "jetty/9.4.1.v1"}.toJson()));
}

TEST_F(JettyProbeTest, uses_jetty_home_when_no_home_is_configured) {
  std::filesystem::path home = makeHome();
  ::setenv("JETTY_HOME", home.c_str(), 1);
  Result result = plugin_.collect("{}");
  ::unsetenv("JETTY_HOME");
  EXPECT_EQ(result.kind(), Result::Kind::value) << result.text();
}

TEST_F(JettyProbeTest, is_not_applicable_without_a_home) {
  EXPECT_EQ(plugin_.collect("{}").kind(), Result::Kind::not_applicable);
}

TEST_F(JettyProbeTest, fails_for_a_configured_home_without_server_jar) {
  Result result = plugin_.collect(homeSettings(dir_.path()));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("jetty-server"), std::string::npos) << result.text();
}

TEST_F(JettyProbeTest, rejects_an_unknown_setting_naming_plugin_and_key) {
  Result result = plugin_.collect(R"({"url":"http://x"})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'jetty'"), std::string::npos) << result.text();
  EXPECT_NE(result.text().find("'url'"), std::string::npos) << result.text();
}

TEST_F(JettyProbeTest, gives_up_when_the_deadline_has_passed) {
  Result result = plugin_.collect(homeSettings(makeHome()), {}, std::chrono::milliseconds(0));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("deadline"), std::string::npos) << result.text();
}
