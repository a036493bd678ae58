// The wildfly plugin against a JBOSS_HOME laid out as WildFly 19 ships it: bin/product.conf,
// the product module's exploded manifest, the wildfly-version jar (built with the jar tool)
// and undertow-core's version.properties.
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

const std::filesystem::path kBase = "modules/system/layers/base";

class WildFlyProbeTest : public ::testing::Test {
 protected:
  void SetUp() override { ::unsetenv("JBOSS_HOME"); }

  void writeProduct(const std::string& name, const std::string& version,
                    const std::string& slot = "wildfly-full") const {
    home_.write("bin/product.conf", "slot=" + slot + "\n");
    std::filesystem::path module = kBase / "org/jboss/as/product" / slot;
    home_.write(module / "module.xml",
                "<module name=\"org.jboss.as.product\" slot=\"" + slot +
                    "\" "
                    "xmlns=\"urn:jboss:module:1.8\">\n"
                    "  <resources><resource-root path=\"dir\"/></resources>\n</module>\n");
    home_.write(module / "dir/META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\r\nJBoss-Product-Release-Name: " + name +
                    "\r\nJBoss-Product-Release-Version: " + version +
                    "\r\nJBoss-Product-Console-Slot: main\r\n\r\n");
  }
  // The version module jar, made by the JDK's jar tool with the manifest WildFly Core's
  // build writes (JBossAS-Release-Version, JBossAS-Release-Codename).
  void writeCoreVersion(const std::string& version, const std::string& manifest) const {
    std::filesystem::path module = home_ / kBase / "org/jboss/as/version/main";
    home_.write(module / "module.xml", "<module name=\"org.jboss.as.version\"/>\n");
    std::filesystem::path input = home_.write("build/manifest.txt", manifest);
    home_.write("build/classes/org/jboss/as/version/Version.class", "\xCA\xFE\xBA\xBE");
    commandOutput("jar cfm '" + (module / ("wildfly-version-" + version + ".jar")).string() +
                  "' '" + input.string() + "' -C '" + (home_ / "build/classes").string() + "' org");
  }
  void writeUndertow(const std::string& version) const {
    ZipBuilder()
        .add("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        .add("io/undertow/version.properties", "undertow.version=" + version + "\n")
        .writeTo(home_ / kBase / "io/undertow/core/main" / ("undertow-core-" + version + ".jar"));
  }
  void writeWildFly19() const {
    writeProduct("WildFly Full", "19.0.0.Final");
    writeCoreVersion("11.0.0.Final",
                     "JBossAS-Release-Version: 11.0.0.Final\nJBossAS-Release-Codename: N/A\n");
    writeUndertow("2.0.30.Final");
  }
  std::string settings() const { return "{\"home\":\"" + home_.path().string() + "\"}"; }

  TempDir home_;
  PluginHarness plugin_{TELEMETRY_PLUGIN_FILE};
};

}  // namespace

TEST_F(WildFlyProbeTest, fills_the_application_server_section) {
  EXPECT_STREQ(plugin_.descriptor().section, "/product/internals/application-server");
}

TEST_F(WildFlyProbeTest, reports_the_specification_example_for_wildfly_19) {
  writeWildFly19();
  Result result = plugin_.collect(settings());
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  EXPECT_EQ(
      result.text(),
      R"({"vendor":"Wildfly","version":"WildFly Full 19.0.0.Final (WildFly Core 11.0.0.Final) - 2.0.30.Final"})");
}

// JBoss EAP 7.2 names its product module slot "eap"; Camunda reports the vendor "JBoss EAP".
TEST_F(WildFlyProbeTest, reports_jboss_eap_as_vendor_jboss_eap) {
  writeProduct("JBoss EAP", "7.2.0.GA", "eap");
  writeCoreVersion("6.0.11.Final-redhat-00001",
                   "JBossAS-Release-Version: 6.0.11.Final-redhat-00001\n");
  writeUndertow("2.0.19.Final-redhat-00001");
  EXPECT_EQ(plugin_.collect(settings()).text(),
            (VendorVersion{"JBoss EAP",
                           "JBoss EAP 7.2.0.GA (WildFly Core 6.0.11.Final-redhat-00001) - "
                           "2.0.19.Final-redhat-00001"}
                 .toJson()));
}

TEST_F(WildFlyProbeTest, reports_wildfly_core_alone_without_product_conf) {
  writeCoreVersion("11.0.0.Final", "JBossAS-Release-Version: 11.0.0.Final\n");
  writeUndertow("2.0.30.Final");
  EXPECT_EQ(plugin_.collect(settings()).text(),
            (VendorVersion{"Wildfly", "WildFly Core 11.0.0.Final - 2.0.30.Final"}.toJson()));
}

TEST_F(WildFlyProbeTest, adds_the_core_codename_when_there_is_no_product) {
  writeCoreVersion("2.0.0.Final",
                   "JBossAS-Release-Version: 2.0.0.Final\n"
                   "JBossAS-Release-Codename: Kenny\n");
  EXPECT_EQ(plugin_.collect(settings()).text(),
            (VendorVersion{"Wildfly", "WildFly Core 2.0.0.Final \"Kenny\""}.toJson()));
}

TEST_F(WildFlyProbeTest, takes_the_core_version_from_the_jar_name_without_manifest_entry) {
  writeProduct("WildFly Full", "19.0.0.Final");
  writeCoreVersion("11.0.0.Final", "Created-By: test\n");
  writeUndertow("2.0.30.Final");
  EXPECT_EQ(plugin_.collect(settings()).text(),
            (VendorVersion{"Wildfly",
                           "WildFly Full 19.0.0.Final (WildFly Core 11.0.0.Final) - 2.0.30.Final"}
                 .toJson()));
}

TEST_F(WildFlyProbeTest, prefers_a_patched_layer_named_in_layers_conf) {
  writeWildFly19();
  home_.write("modules/layers.conf", "layers=patched\n");
  ZipBuilder()
      .add("io/undertow/version.properties", "undertow.version=2.0.31.Final\n")
      .writeTo(home_ / "modules/system/layers/patched/io/undertow/core/main" /
               "undertow-core-2.0.31.Final.jar");
  EXPECT_EQ(plugin_.collect(settings()).text(),
            (VendorVersion{"Wildfly",
                           "WildFly Full 19.0.0.Final (WildFly Core 11.0.0.Final) - 2.0.31.Final"}
                 .toJson()));
}

TEST_F(WildFlyProbeTest, uses_jboss_home_when_no_home_is_configured) {
  writeWildFly19();
  ::setenv("JBOSS_HOME", home_.path().c_str(), 1);
  Result result = plugin_.collect("{}");
  ::unsetenv("JBOSS_HOME");
  EXPECT_EQ(result.kind(), Result::Kind::value) << result.text();
}

TEST_F(WildFlyProbeTest, is_not_applicable_without_a_home) {
  EXPECT_EQ(plugin_.collect("{}").kind(), Result::Kind::not_applicable);
}

TEST_F(WildFlyProbeTest, fails_for_a_configured_home_that_is_not_wildfly) {
  Result result = plugin_.collect(settings());
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("org.jboss.as.version"), std::string::npos) << result.text();
}

TEST_F(WildFlyProbeTest, rejects_an_unknown_setting_naming_plugin_and_key) {
  Result result = plugin_.collect(R"({"jboss-home":"/x"})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'wildfly'"), std::string::npos) << result.text();
  EXPECT_NE(result.text().find("'jboss-home'"), std::string::npos) << result.text();
}
