// The tomcat plugin against the real Tomcat 10 catalina.jar from Debian (libtomcat10-java).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "telemetry/plugin/testing.hpp"
#include "telemetry/plugins/testing/command_output.hpp"
#include "telemetry/plugins/testing/temp_dir.hpp"
#include "telemetry/plugins/vendor_version.hpp"
#include "telemetry/test/skip_or_fail_in_ci.hpp"

using telemetry::plugin::Result;
using telemetry::plugin::testing::PluginHarness;
using telemetry::plugins::VendorVersion;
using telemetry::plugins::testing::commandOutput;
using telemetry::plugins::testing::TempDir;

namespace {

const std::filesystem::path kDebianCatalinaJar = "/usr/share/java/tomcat10-catalina.jar";

class TomcatProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("CATALINA_HOME");
    ASSERT_TRUE(std::filesystem::exists(kDebianCatalinaJar))
        << "install libtomcat10-java (scripts/deps)";
  }
  // A CATALINA_HOME whose lib/catalina.jar is the Debian jar, as in /usr/share/tomcat10.
  std::filesystem::path makeHome() const {
    std::filesystem::create_directories(dir_ / "lib");
    std::filesystem::create_symlink(kDebianCatalinaJar, dir_ / "lib" / "catalina.jar");
    return dir_.path();
  }
  static std::string homeSettings(const std::filesystem::path& home) {
    return "{\"home\":\"" + home.string() + "\"}";
  }
  // What the jar itself says, read with unzip, never a literal.
  static std::string serverInfoFromJar() {
    return commandOutput("unzip -p '" + kDebianCatalinaJar.string() +
                         "' org/apache/catalina/util/ServerInfo.properties"
                         " | sed -n 's/^server\\.info=//p'");
  }
  TempDir dir_;
  PluginHarness plugin_{TELEMETRY_PLUGIN_FILE};
};

}  // namespace

TEST_F(TomcatProbeTest, fills_the_application_server_section) {
  EXPECT_STREQ(plugin_.descriptor().section, "/product/internals/application-server");
}

TEST_F(TomcatProbeTest, reports_the_server_info_of_the_real_catalina_jar) {
  Result result = plugin_.collect(homeSettings(makeHome()));
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  std::string expected = serverInfoFromJar();
  ASSERT_TRUE(expected.starts_with("Apache Tomcat/")) << expected;
  EXPECT_EQ(result.text(), (VendorVersion{"Apache Tomcat", expected}.toJson()));
}

// The CATALINA_HOME config/telemetry.yaml names: tomcat10-common links lib/catalina.jar to
// libtomcat10-java's jar.
TEST_F(TomcatProbeTest, reads_the_debian_catalina_home) {
  const std::filesystem::path debianHome = "/usr/share/tomcat10";
  if (!std::filesystem::exists(debianHome / "lib" / "catalina.jar")) {
    TELEMETRY_SKIP_OR_FAIL_IN_CI(debianHome.string() +
                                 "/lib/catalina.jar is missing: install tomcat10-common");
  }
  Result result = plugin_.collect(homeSettings(debianHome));
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  EXPECT_EQ(result.text(), (VendorVersion{"Apache Tomcat", serverInfoFromJar()}.toJson()));
}

TEST_F(TomcatProbeTest, uses_catalina_home_when_no_home_is_configured) {
  std::filesystem::path home = makeHome();
  ::setenv("CATALINA_HOME", home.c_str(), 1);
  Result result = plugin_.collect("{}");
  ::unsetenv("CATALINA_HOME");
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  EXPECT_EQ(result.text(), (VendorVersion{"Apache Tomcat", serverInfoFromJar()}.toJson()));
}

TEST_F(TomcatProbeTest, prefers_the_operators_server_info_override) {
  std::filesystem::path home = makeHome();
  dir_.write("lib/org/apache/catalina/util/ServerInfo.properties",
             "server.info=Apache Tomcat/hidden\n");
  Result result = plugin_.collect(homeSettings(home));
  EXPECT_EQ(result.text(), (VendorVersion{"Apache Tomcat", "Apache Tomcat/hidden"}.toJson()));
}

TEST_F(TomcatProbeTest, is_not_applicable_without_a_home) {
  EXPECT_EQ(plugin_.collect("{}").kind(), Result::Kind::not_applicable);
}

TEST_F(TomcatProbeTest, is_not_applicable_when_catalina_home_is_no_tomcat) {
  ::setenv("CATALINA_HOME", dir_.path().c_str(), 1);
  Result result = plugin_.collect("{}");
  ::unsetenv("CATALINA_HOME");
  EXPECT_EQ(result.kind(), Result::Kind::not_applicable);
}

TEST_F(TomcatProbeTest, fails_for_a_configured_home_that_does_not_exist) {
  Result result = plugin_.collect(homeSettings(dir_ / "missing"));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("missing"), std::string::npos) << result.text();
}

TEST_F(TomcatProbeTest, fails_for_a_configured_home_without_catalina_jar) {
  Result result = plugin_.collect(homeSettings(dir_.path()));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("catalina.jar"), std::string::npos) << result.text();
}

TEST_F(TomcatProbeTest, fails_for_a_corrupt_catalina_jar) {
  dir_.write("lib/catalina.jar", "not a zip");
  Result result = plugin_.collect(homeSettings(dir_.path()));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("not a zip"), std::string::npos) << result.text();
}

TEST_F(TomcatProbeTest, rejects_an_unknown_setting_naming_plugin_and_key) {
  Result result = plugin_.collect(R"({"hme":"/x"})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'tomcat'"), std::string::npos) << result.text();
  EXPECT_NE(result.text().find("'hme'"), std::string::npos) << result.text();
}

TEST_F(TomcatProbeTest, gives_up_when_the_deadline_has_passed) {
  Result result = plugin_.collect(homeSettings(makeHome()), {}, std::chrono::milliseconds(0));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("deadline"), std::string::npos) << result.text();
}
