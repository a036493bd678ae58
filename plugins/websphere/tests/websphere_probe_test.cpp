// The websphere plugin against installation layouts built from the product files IBM's
// installers write: properties/version/WAS.product (traditional) and
// lib/versions/*.properties (Liberty, zip or Installation Manager install).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "telemetry/plugin/testing.hpp"
#include "telemetry/plugins/testing/temp_dir.hpp"
#include "telemetry/plugins/vendor_version.hpp"

using telemetry::plugin::Result;
using telemetry::plugin::testing::PluginHarness;
using telemetry::plugins::VendorVersion;
using telemetry::plugins::testing::TempDir;

namespace {

std::string wasProduct(const std::string& name, const std::string& id, const std::string& version) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n"
         "<!DOCTYPE product PUBLIC \"productId\" \"product.dtd\">\n\n"
         "<product name=\"" +
         name + "\">\n   <id>" + id + "</id>\n   <version>" + version +
         "</version>\n"
         "   <build-info date=\"10/23/19\" level=\"cf051943.04\"/>\n</product>\n";
}

std::string libertyProperties(const std::string& id, const std::string& name,
                              const std::string& version, const std::string& edition) {
  return "#Wed Sep 01 12:00:00 UTC 2021\n"
         "com.ibm.websphere.productId=" +
         id +
         "\n"
         "com.ibm.websphere.productOwner=IBM\n"
         "com.ibm.websphere.productVersion=" +
         version +
         "\n"
         "com.ibm.websphere.productName=" +
         name +
         "\n"
         "com.ibm.websphere.productInstallType=Archive\n"
         "com.ibm.websphere.productEdition=" +
         edition + "\n";
}

class WebSphereProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("WAS_HOME");
    ::unsetenv("WLP_INSTALL_DIR");
  }
  std::string settings(const std::filesystem::path& home) const {
    return "{\"home\":\"" + home.string() + "\"}";
  }

  TempDir home_;
  PluginHarness plugin_{TELEMETRY_PLUGIN_FILE};
};

}  // namespace

TEST_F(WebSphereProbeTest, fills_the_application_server_section) {
  EXPECT_STREQ(plugin_.descriptor().section, "/product/internals/application-server");
}

// Camunda's own test: "IBM WebSphere Application Server/8.5" has vendor
// "IBM WebSphere Application Server".
TEST_F(WebSphereProbeTest, reports_traditional_as_its_web_container_does) {
  home_.write("properties/version/WAS.product",
              wasProduct("IBM WebSphere Application Server - ND", "ND", "9.0.5.0"));
  Result result = plugin_.collect(settings(home_.path()));
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  EXPECT_EQ(result.text(), R"({"vendor":"IBM WebSphere Application Server",)"
                           R"("version":"IBM WebSphere Application Server/9.0"})");
  home_.write("properties/version/WAS.product",
              wasProduct("IBM WebSphere Application Server", "BASE", "8.5.5.20"));
  EXPECT_EQ(
      plugin_.collect(settings(home_.path())).text(),
      (VendorVersion{"IBM WebSphere Application Server", "IBM WebSphere Application Server/8.5"}
           .toJson()));
}

TEST_F(WebSphereProbeTest, reports_websphere_liberty) {
  home_.write("wlp/lib/versions/WebSphereApplicationServer.properties",
              libertyProperties("com.ibm.websphere.appserver", "WebSphere Application Server",
                                "21.0.0.9", "BASE"));
  home_.write("wlp/lib/versions/openliberty.properties",
              libertyProperties("io.openliberty", "Open Liberty", "21.0.0.8", "Open"));
  std::string expected =
      VendorVersion{"IBM WebSphere Liberty", "IBM WebSphere Liberty/21.0.0.9"}.toJson();
  EXPECT_EQ(plugin_.collect(settings(home_ / "wlp")).text(), expected);
  EXPECT_EQ(plugin_.collect(settings(home_.path())).text(), expected) << "the directory above";
}

TEST_F(WebSphereProbeTest, reports_open_liberty) {
  home_.write("lib/versions/openliberty.properties",
              libertyProperties("io.openliberty", "Open Liberty", "22.0.0.1", "Open"));
  EXPECT_EQ(plugin_.collect(settings(home_.path())).text(),
            (VendorVersion{"IBM WebSphere Liberty", "IBM WebSphere Liberty/22.0.0.1"}.toJson()));
}

TEST_F(WebSphereProbeTest, uses_was_home_then_wlp_install_dir_when_no_home_is_configured) {
  home_.write("was/properties/version/WAS.product",
              wasProduct("IBM WebSphere Application Server", "BASE", "9.0.5.7"));
  home_.write("wlp/lib/versions/openliberty.properties",
              libertyProperties("io.openliberty", "Open Liberty", "22.0.0.1", "Open"));
  ::setenv("WLP_INSTALL_DIR", (home_ / "wlp").c_str(), 1);
  Result liberty = plugin_.collect("{}");
  ::setenv("WAS_HOME", (home_ / "was").c_str(), 1);
  Result traditional = plugin_.collect("{}");
  ::unsetenv("WAS_HOME");
  ::unsetenv("WLP_INSTALL_DIR");
  EXPECT_EQ(liberty.text(),
            (VendorVersion{"IBM WebSphere Liberty", "IBM WebSphere Liberty/22.0.0.1"}.toJson()));
  EXPECT_EQ(traditional.text(), (VendorVersion{"IBM WebSphere Application Server",
                                               "IBM WebSphere Application Server/9.0"}
                                     .toJson()));
}

TEST_F(WebSphereProbeTest, is_not_applicable_without_a_home_or_for_a_leftover_variable) {
  EXPECT_EQ(plugin_.collect("{}").kind(), Result::Kind::not_applicable);
  ::setenv("WAS_HOME", home_.path().c_str(), 1);
  Result result = plugin_.collect("{}");
  ::unsetenv("WAS_HOME");
  EXPECT_EQ(result.kind(), Result::Kind::not_applicable) << result.text();
}

TEST_F(WebSphereProbeTest, fails_for_a_configured_home_that_is_not_websphere) {
  Result result = plugin_.collect(settings(home_.path()));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("WAS.product"), std::string::npos) << result.text();
}

TEST_F(WebSphereProbeTest, names_a_product_file_that_is_broken) {
  home_.write("properties/version/WAS.product", "<product><version>9.0.5.0</product>");
  Result result = plugin_.collect(settings(home_.path()));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("WAS.product"), std::string::npos) << result.text();
  home_.write("properties/version/WAS.product", "<product name=\"x\"><id>ND</id></product>");
  result = plugin_.collect(settings(home_.path()));
  EXPECT_NE(result.text().find("has no <version>"), std::string::npos) << result.text();
  std::filesystem::remove(home_ / "properties/version/WAS.product");
  home_.write("lib/versions/openliberty.properties", "com.ibm.websphere.productName=x\n");
  result = plugin_.collect(settings(home_.path()));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("productVersion"), std::string::npos) << result.text();
}

TEST_F(WebSphereProbeTest, rejects_an_unknown_setting_naming_plugin_and_key) {
  Result result = plugin_.collect(R"({"was-home":"/x"})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'websphere'"), std::string::npos) << result.text();
  EXPECT_NE(result.text().find("'was-home'"), std::string::npos) << result.text();
}
