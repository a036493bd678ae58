// The integrations plugin against real jar, ear and directory fixtures of each integration.
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

class IntegrationsProbeTest : public ::testing::Test {
 protected:
  static std::string setting(const std::string& key, const std::filesystem::path& path) {
    return "{\"" + key + "\":[\"" + path.string() + "\"]}";
  }
  static std::string jar(const std::string& name) {
    return "PK-nested-" + name;  // nested jars are only matched by name
  }
  std::filesystem::path springBootFatJar(const std::filesystem::path& file) const {
    return ZipBuilder()
        .add("META-INF/MANIFEST.MF", "Main-Class: org.springframework.boot.loader.JarLauncher\n")
        .add("BOOT-INF/lib/camunda-bpm-spring-boot-starter-7.14.0.jar", jar("starter"))
        .add("BOOT-INF/lib/spring-core-5.2.8.RELEASE.jar", jar("spring"))
        .writeTo(file);
  }
  void runDistribution(const std::filesystem::path& root) const {
    dir_.write(root / "configuration/default.yml", "camunda.bpm:\n  admin-user:\n    id: demo\n");
    springBootFatJar(root / "internal/camunda-bpm-run-core-7.14.0.jar");
  }
  TempDir dir_;
  PluginHarness plugin_{TELEMETRY_PLUGIN_FILE};
};

}  // namespace

TEST_F(IntegrationsProbeTest, fills_the_camunda_integration_section) {
  EXPECT_STREQ(plugin_.descriptor().section, "/product/internals/camunda-integration");
}

TEST_F(IntegrationsProbeTest, finds_the_starter_in_a_spring_boot_fat_jar) {
  auto app = springBootFatJar(dir_ / "app.jar");
  EXPECT_EQ(plugin_.collect(setting("apps", app)).text(), R"(["spring-boot-starter"])");
}

TEST_F(IntegrationsProbeTest, finds_the_starter_in_a_directory_of_jars) {
  springBootFatJar(dir_ / "apps/app.jar");
  EXPECT_EQ(plugin_.collect(setting("apps", dir_ / "apps")).text(), R"(["spring-boot-starter"])");
}

TEST_F(IntegrationsProbeTest, finds_nothing_in_a_plain_spring_boot_jar) {
  auto app = ZipBuilder()
                 .add("BOOT-INF/lib/spring-core-5.2.8.RELEASE.jar", "x")
                 .add("BOOT-INF/lib/camunda-engine-7.14.0.jar", "x")
                 .writeTo(dir_ / "plain.jar");
  EXPECT_EQ(plugin_.collect(setting("apps", app)).text(), "[]");
}

TEST_F(IntegrationsProbeTest, finds_the_run_distribution_and_its_starter) {
  runDistribution(dir_ / "camunda-bpm-run");
  EXPECT_EQ(plugin_.collect(setting("apps", dir_ / "camunda-bpm-run")).text(),
            R"(["spring-boot-starter","camunda-bpm-run"])");
}

TEST_F(IntegrationsProbeTest, needs_the_run_configuration_to_recognise_run) {
  ZipBuilder().add("a.txt", "x").writeTo(dir_ / "run/internal/camunda-bpm-run-core-7.14.0.jar");
  EXPECT_EQ(plugin_.collect(setting("apps", dir_ / "run")).text(), "[]");
}

TEST_F(IntegrationsProbeTest, finds_the_wildfly_subsystem_module) {
  dir_.write("wildfly/modules/org/camunda/bpm/wildfly/camunda-wildfly-subsystem/main/module.xml",
             "<module name=\"org.camunda.bpm.wildfly.camunda-wildfly-subsystem\"/>\n");
  std::string settings = "{\"jboss-home\":\"" + (dir_ / "wildfly").string() + "\"}";
  EXPECT_EQ(plugin_.collect(settings).text(), R"(["wildfly-integration"])");
}

TEST_F(IntegrationsProbeTest, finds_no_wildfly_integration_in_a_plain_wildfly) {
  dir_.write("wildfly/modules/system/layers/base/org/jboss/as/version/main/module.xml", "<m/>");
  std::string settings = "{\"jboss-home\":\"" + (dir_ / "wildfly").string() + "\"}";
  EXPECT_EQ(plugin_.collect(settings).text(), "[]");
}

TEST_F(IntegrationsProbeTest, finds_the_ejb_service_jar_in_a_deployment_directory) {
  ZipBuilder()
      .add("META-INF/ejb-jar.xml", "<ejb-jar/>")
      .writeTo(dir_ / "autodeploy/camunda-ejb-service-7.14.0.jar");
  EXPECT_EQ(plugin_.collect(setting("deployments", dir_ / "autodeploy")).text(),
            R"(["camunda-ejb-service"])");
}

TEST_F(IntegrationsProbeTest, finds_the_ejb_service_inside_an_ear) {
  ZipBuilder()
      .add("META-INF/application.xml", "<application/>")
      .add("camunda-ejb-service-7.14.0.jar", "x")
      .writeTo(dir_ / "autodeploy/camunda-ee-websphere-7.14.0.ear");
  EXPECT_EQ(plugin_.collect(setting("deployments", dir_ / "autodeploy")).text(),
            R"(["camunda-ejb-service"])");
}

TEST_F(IntegrationsProbeTest, lists_integrations_in_the_report_order) {
  runDistribution(dir_ / "run");
  dir_.write("jboss/modules/org/camunda/bpm/jboss/camunda-jboss-subsystem/main/module.xml", "<m/>");
  dir_.write("deploy/camunda-ejb-service.jar", "x");
  std::string settings = "{\"deployments\":\"" + (dir_ / "deploy").string() +
                         "\",\"jboss-home\":\"" + (dir_ / "jboss").string() + "\",\"apps\":[\"" +
                         (dir_ / "run").string() + "\"]}";
  EXPECT_EQ(
      plugin_.collect(settings).text(),
      R"(["spring-boot-starter","camunda-bpm-run","wildfly-integration","camunda-ejb-service"])");
}

TEST_F(IntegrationsProbeTest, is_not_applicable_without_settings) {
  EXPECT_EQ(plugin_.collect("{}").kind(), Result::Kind::not_applicable);
}

TEST_F(IntegrationsProbeTest, fails_for_a_missing_app) {
  Result result = plugin_.collect(setting("apps", dir_ / "missing.jar"));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("missing.jar"), std::string::npos) << result.text();
}

TEST_F(IntegrationsProbeTest, fails_for_an_app_that_is_not_an_archive) {
  auto app = dir_.write("app.jar", "text");
  EXPECT_EQ(plugin_.collect(setting("apps", app)).kind(), Result::Kind::error);
}

TEST_F(IntegrationsProbeTest, rejects_an_unknown_setting_naming_plugin_and_key) {
  Result result = plugin_.collect(R"({"app":["x"]})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'integrations'"), std::string::npos) << result.text();
  EXPECT_NE(result.text().find("'app'"), std::string::npos) << result.text();
}

TEST_F(IntegrationsProbeTest, gives_up_when_the_deadline_has_passed) {
  auto app = springBootFatJar(dir_ / "app.jar");
  Result result = plugin_.collect(setting("apps", app), {}, std::chrono::milliseconds(0));
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("deadline"), std::string::npos) << result.text();
}
