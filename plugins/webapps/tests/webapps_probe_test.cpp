// The webapps plugin against deployment directories holding real war files and exploded
// web applications.
#include <gtest/gtest.h>

#include <filesystem>

#include "telemetry/plugin/testing.hpp"
#include "telemetry/plugins/testing/temp_dir.hpp"
#include "telemetry/plugins/testing/zip_builder.hpp"

using telemetry::plugin::Result;
using telemetry::plugin::testing::PluginHarness;
using telemetry::plugins::testing::TempDir;
using telemetry::plugins::testing::ZipBuilder;

namespace {

class WebappsProbeTest : public ::testing::Test {
 protected:
  std::string deployments(const std::filesystem::path& dir) const {
    return "{\"deployments\":[\"" + dir.string() + "\"]}";
  }
  static ZipBuilder camundaWebapp() {
    return ZipBuilder()
        .add("WEB-INF/web.xml", "<web-app/>")
        .add("app/cockpit/index.html", "<html/>")
        .add("app/admin/index.html", "<html/>")
        .add("app/tasklist/index.html", "<html/>")
        .add("app/welcome/index.html", "<html/>");
  }
  TempDir dir_;
  PluginHarness plugin_{TELEMETRY_PLUGIN_FILE};
};

}  // namespace

TEST_F(WebappsProbeTest, fills_the_webapps_section) {
  EXPECT_STREQ(plugin_.descriptor().section, "/product/internals/webapps");
}

TEST_F(WebappsProbeTest, finds_all_apps_of_a_camunda_webapp_war) {
  camundaWebapp().writeTo(dir_ / "webapps/camunda-webapp-tomcat-7.14.0.war");
  Result result = plugin_.collect(deployments(dir_ / "webapps"));
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  EXPECT_EQ(result.text(), R"(["cockpit","admin","tasklist","welcome"])");
}

TEST_F(WebappsProbeTest, finds_only_the_apps_the_war_contains) {
  ZipBuilder()
      .add("WEB-INF/web.xml", "<web-app/>")
      .add("app/admin/index.html", "<html/>")
      .add("app/cockpit/index.html", "<html/>")
      .writeTo(dir_ / "deployments/camunda-webapp.war");
  EXPECT_EQ(plugin_.collect(deployments(dir_ / "deployments")).text(), R"(["cockpit","admin"])");
}

TEST_F(WebappsProbeTest, finds_an_exploded_webapp_renamed_camunda) {
  dir_.write("webapps/camunda/WEB-INF/web.xml", "<web-app/>");
  dir_.write("webapps/camunda/app/tasklist/index.html", "<html/>");
  EXPECT_EQ(plugin_.collect(deployments(dir_ / "webapps")).text(), R"(["tasklist"])");
}

TEST_F(WebappsProbeTest, ignores_deployments_not_named_camunda) {
  camundaWebapp().writeTo(dir_ / "webapps/shop.war");
  EXPECT_EQ(plugin_.collect(deployments(dir_ / "webapps")).text(), "[]");
}

TEST_F(WebappsProbeTest, ignores_a_camunda_archive_that_is_no_web_application) {
  ZipBuilder().add("app/cockpit/index.html", "<html/>").writeTo(dir_ / "webapps/camunda-x.war");
  EXPECT_EQ(plugin_.collect(deployments(dir_ / "webapps")).text(), "[]");
}

TEST_F(WebappsProbeTest, reports_each_app_once_for_a_war_and_its_exploded_copy) {
  camundaWebapp().writeTo(dir_ / "webapps/camunda.war");
  dir_.write("webapps/camunda/WEB-INF/web.xml", "<web-app/>");
  dir_.write("webapps/camunda/app/cockpit/index.html", "<html/>");
  EXPECT_EQ(plugin_.collect(deployments(dir_ / "webapps")).text(),
            R"(["cockpit","admin","tasklist","welcome"])");
}

TEST_F(WebappsProbeTest, reports_the_list_the_product_passes) {
  EXPECT_EQ(plugin_.collect(R"({"list":["admin","cockpit"]})").text(), R"(["cockpit","admin"])");
}

TEST_F(WebappsProbeTest, rejects_an_unknown_name_in_the_list) {
  Result result = plugin_.collect(R"({"list":["cockpt"]})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'cockpit'"), std::string::npos) << result.text();
}

TEST_F(WebappsProbeTest, is_not_applicable_without_settings) {
  EXPECT_EQ(plugin_.collect("{}").kind(), Result::Kind::not_applicable);
}

TEST_F(WebappsProbeTest, fails_for_a_missing_deployment_directory) {
  Result result = plugin_.collect(deployments(dir_ / "nowhere"));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("nowhere"), std::string::npos) << result.text();
}

TEST_F(WebappsProbeTest, fails_for_a_corrupt_camunda_war) {
  dir_.write("webapps/camunda-webapp.war", "broken");
  EXPECT_EQ(plugin_.collect(deployments(dir_ / "webapps")).kind(), Result::Kind::error);
}

TEST_F(WebappsProbeTest, rejects_an_unknown_setting_naming_plugin_and_key) {
  Result result = plugin_.collect(R"({"webapps":["admin"]})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'webapps'"), std::string::npos) << result.text();
}

TEST_F(WebappsProbeTest, gives_up_when_the_deadline_has_passed) {
  dir_.mkdir("webapps");
  Result result = plugin_.collect(deployments(dir_ / "webapps"), {}, std::chrono::milliseconds(0));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("deadline"), std::string::npos) << result.text();
}
