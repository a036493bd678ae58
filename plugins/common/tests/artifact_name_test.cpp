#include "telemetry/plugins/artifact_name.hpp"

#include <gtest/gtest.h>

#include "telemetry/plugins/testing/temp_dir.hpp"

using namespace telemetry::plugins;

TEST(ArtifactNameTest, extracts_the_version_from_a_file_name) {
  EXPECT_EQ(artifactVersion("undertow-core-2.0.30.Final.jar", "undertow-core"), "2.0.30.Final");
}

TEST(ArtifactNameTest, ignores_directories_in_the_name) {
  EXPECT_EQ(artifactVersion("BOOT-INF/lib/camunda-bpm-spring-boot-starter-7.14.0.jar",
                            "camunda-bpm-spring-boot-starter"),
            "7.14.0");
}

TEST(ArtifactNameTest, refuses_a_longer_artifact_with_the_same_prefix) {
  EXPECT_FALSE(artifactVersion("undertow-core-deps-1.0.jar", "undertow-core").has_value());
  EXPECT_FALSE(isArtifact("camunda-bpm-spring-boot-starter-rest-7.14.0.jar",
                          "camunda-bpm-spring-boot-starter"));
}

TEST(ArtifactNameTest, accepts_an_unversioned_name) {
  EXPECT_TRUE(isArtifact("lib/jetty9-server.jar", "jetty9-server"));
}

TEST(ArtifactNameTest, respects_the_extension) {
  EXPECT_FALSE(isArtifact("camunda-ejb-service-7.14.0.war", "camunda-ejb-service"));
  EXPECT_TRUE(isArtifact("camunda-ejb-service-7.14.0.war", "camunda-ejb-service", ".war"));
}

TEST(ArtifactNameTest, finds_the_artifact_in_a_directory) {
  telemetry::plugins::testing::TempDir dir;
  dir.write("undertow-servlet-2.0.30.Final.jar", "x");
  dir.write("undertow-core-2.0.30.Final.jar", "x");
  EXPECT_EQ(findArtifact(dir.path(), "undertow-core"), dir / "undertow-core-2.0.30.Final.jar");
}

TEST(ArtifactNameTest, finds_nothing_in_a_missing_directory) {
  EXPECT_FALSE(findArtifact("/nonexistent/dir", "undertow-core").has_value());
}
