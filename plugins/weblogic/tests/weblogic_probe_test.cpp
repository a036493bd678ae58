// The weblogic plugin against installation layouts built from the files WebLogic's
// installers write: the 12c+ Oracle home inventory (inventory/registry.xml), the 10.3/11g
// Middleware home registry.xml, and wlserver/server/lib/weblogic.jar's manifest.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "telemetry/plugin/testing.hpp"
#include "telemetry/plugins/testing/temp_dir.hpp"
#include "telemetry/plugins/testing/zip_builder.hpp"
#include "telemetry/plugins/vendor_version.hpp"

using telemetry::plugin::Result;
using telemetry::plugin::testing::PluginHarness;
using telemetry::plugins::VendorVersion;
using telemetry::plugins::testing::TempDir;
using telemetry::plugins::testing::ZipBuilder;

namespace {

// An Oracle home's inventory as the 12.2.1 installer writes it (Fusion Middleware GDR).
std::string inventoryRegistry(const std::string& distribution, const std::string& version) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
         "<registry home=\"/u01/oracle\" platform=\"226\" "
         "xmlns=\"http://xmlns.oracle.com/cie/gdr/rgy\">\n"
         "   <distributions>\n"
         "      <distribution status=\"installed\" name=\"" +
         distribution + "\" version=\"" + version +
         "\">\n"
         "         <component name=\"Coherence\" version=\"" +
         version +
         "\"/>\n"
         "         <component name=\"WebLogic Server\" version=\"" +
         version +
         "\">\n"
         "            <component name=\"Core Application Server\" version=\"" +
         version +
         "\"/>\n"
         "         </component>\n"
         "      </distribution>\n"
         "   </distributions>\n"
         "   <features>\n"
         "      <feature status=\"installed\" name=\"com.oracle.cie.gdr.rgy\" "
         "version=\"12.2.1.4.0\"/>\n"
         "   </features>\n"
         "</registry>\n";
}

// A Middleware home's registry.xml as the 10.3.6 (11g) installer writes it.
const char* kMiddlewareRegistry =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<bea-product-information>\n"
    "  <host home=\"/u01/app/oracle/middleware\" name=\"wls11g\">\n"
    "    <product format=\"1.0\" name=\"WebLogic Platform\">\n"
    "      <release level=\"10.3\" ServicePackLevel=\"6\" PatchLevel=\"0\" Status=\"installed\" "
    "BeaProductVersion=\"10.3.6.0\" ProductVersion=\"10.3.6.0\" "
    "InstallDir=\"/u01/app/oracle/middleware/wlserver_10.3\">\n"
    "        <component name=\"WebLogic Server\" version=\"10.3.6.0\" "
    "InstallDir=\"/u01/app/oracle/middleware/wlserver_10.3\">\n"
    "          <component name=\"Core Application Server\"/>\n"
    "        </component>\n"
    "      </release>\n"
    "    </product>\n"
    "  </host>\n"
    "</bea-product-information>\n";

class WebLogicProbeTest : public ::testing::Test {
 protected:
  void SetUp() override { ::unsetenv("WL_HOME"); }

  void writeWebLogicJar(const std::filesystem::path& wlHome, const std::string& version) const {
    ZipBuilder()
        .add("META-INF/MANIFEST.MF",
             "Manifest-Version: 1.0\r\nImplementation-Title: WebLogic Server\r\n"
             "Implementation-Version: " +
                 version + "\r\nImplementation-Vendor: Oracle\r\n\r\n")
        .writeTo(home_ / wlHome / "server/lib/weblogic.jar");
  }
  std::string settings(const std::filesystem::path& home) const {
    return "{\"home\":\"" + home.string() + "\"}";
  }
  static std::string expected(const std::string& version) {
    return VendorVersion{"WebLogic Server", "WebLogic Server " + version}.toJson();
  }

  TempDir home_;
  PluginHarness plugin_{TELEMETRY_PLUGIN_FILE};
};

}  // namespace

TEST_F(WebLogicProbeTest, fills_the_application_server_section) {
  EXPECT_STREQ(plugin_.descriptor().section, "/product/internals/application-server");
}

TEST_F(WebLogicProbeTest, reads_the_oracle_home_inventory_of_12c) {
  home_.write("inventory/registry.xml", inventoryRegistry("WebLogic Server", "12.2.1.4.0"));
  writeWebLogicJar("wlserver", "12.2.1.4.0");
  Result result = plugin_.collect(settings(home_.path()));
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  EXPECT_EQ(result.text(),
            R"({"vendor":"WebLogic Server","version":"WebLogic Server 12.2.1.4.0"})");
}

TEST_F(WebLogicProbeTest, finds_weblogic_server_inside_an_infrastructure_distribution) {
  home_.write("inventory/registry.xml",
              inventoryRegistry("Fusion Middleware Infrastructure", "12.2.1.3.0"));
  EXPECT_EQ(plugin_.collect(settings(home_.path())).text(), expected("12.2.1.3.0"));
}

TEST_F(WebLogicProbeTest, accepts_the_weblogic_home_below_the_oracle_home) {
  home_.write("inventory/registry.xml", inventoryRegistry("WebLogic Server", "14.1.1.0.0"));
  writeWebLogicJar("wlserver", "14.1.1.0.0");
  EXPECT_EQ(plugin_.collect(settings(home_ / "wlserver")).text(), expected("14.1.1.0.0"));
  EXPECT_EQ(plugin_.collect(settings(home_ / "wlserver/")).text(), expected("14.1.1.0.0"));
}

TEST_F(WebLogicProbeTest, reads_the_middleware_home_registry_of_11g) {
  home_.write("registry.xml", kMiddlewareRegistry);
  writeWebLogicJar("wlserver_10.3", "10.3.6.0");
  EXPECT_EQ(plugin_.collect(settings(home_.path())).text(), expected("10.3.6.0"));
  EXPECT_EQ(plugin_.collect(settings(home_ / "wlserver_10.3")).text(), expected("10.3.6.0"));
}

TEST_F(WebLogicProbeTest, falls_back_to_the_weblogic_jar_manifest) {
  writeWebLogicJar("wlserver", "12.2.1.4.0");
  EXPECT_EQ(plugin_.collect(settings(home_.path())).text(), expected("12.2.1.4.0"));
  EXPECT_EQ(plugin_.collect(settings(home_ / "wlserver")).text(), expected("12.2.1.4.0"));
}

TEST_F(WebLogicProbeTest, uses_wl_home_when_no_home_is_configured) {
  home_.write("inventory/registry.xml", inventoryRegistry("WebLogic Server", "12.2.1.4.0"));
  ::setenv("WL_HOME", (home_ / "wlserver").c_str(), 1);
  std::filesystem::create_directories(home_ / "wlserver");
  Result result = plugin_.collect("{}");
  ::unsetenv("WL_HOME");
  EXPECT_EQ(result.text(), expected("12.2.1.4.0"));
}

TEST_F(WebLogicProbeTest, is_not_applicable_without_a_home_or_for_a_leftover_wl_home) {
  EXPECT_EQ(plugin_.collect("{}").kind(), Result::Kind::not_applicable);
  ::setenv("WL_HOME", home_.path().c_str(), 1);
  Result result = plugin_.collect("{}");
  ::unsetenv("WL_HOME");
  EXPECT_EQ(result.kind(), Result::Kind::not_applicable) << result.text();
}

TEST_F(WebLogicProbeTest, fails_for_a_configured_home_that_is_not_weblogic) {
  Result result = plugin_.collect(settings(home_.path()));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("registry.xml"), std::string::npos) << result.text();
}

TEST_F(WebLogicProbeTest, names_a_registry_that_is_not_well_formed) {
  home_.write("inventory/registry.xml", "<registry><distributions></registry>");
  Result result = plugin_.collect(settings(home_.path()));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("inventory/registry.xml"), std::string::npos) << result.text();
}

TEST_F(WebLogicProbeTest, rejects_an_unknown_setting_naming_plugin_and_key) {
  Result result = plugin_.collect(R"({"wl-home":"/x"})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'weblogic'"), std::string::npos) << result.text();
  EXPECT_NE(result.text().find("'wl-home'"), std::string::npos) << result.text();
}
