#include "telemetry/plugins/manifest.hpp"

#include <gtest/gtest.h>

using telemetry::plugins::Manifest;

TEST(ManifestTest, reads_a_main_attribute) {
  auto manifest = Manifest::parse("Manifest-Version: 1.0\r\nImplementation-Version: 2.1.214\r\n");
  EXPECT_EQ(manifest.attribute("Implementation-Version"), "2.1.214");
}

TEST(ManifestTest, joins_continuation_lines) {
  auto manifest = Manifest::parse(
      "Manifest-Version: 1.0\nBundle-Description: Jetty module for Je\n tty :: Server Co\n re\n");
  EXPECT_EQ(manifest.attribute("Bundle-Description"), "Jetty module for Jetty :: Server Core");
}

TEST(ManifestTest, matches_attribute_names_case_insensitively) {
  auto manifest = Manifest::parse("implementation-version: 9.4\n");
  EXPECT_EQ(manifest.attribute("Implementation-Version"), "9.4");
}

TEST(ManifestTest, stops_at_the_end_of_the_main_section) {
  auto manifest = Manifest::parse("A: 1\n\nName: org/x/\nB: 2\n");
  EXPECT_EQ(manifest.attribute("A"), "1");
  EXPECT_FALSE(manifest.attribute("B").has_value());
}

TEST(ManifestTest, accepts_carriage_return_line_ends) {
  auto manifest = Manifest::parse("A: 1\rB: two\r words\r");
  EXPECT_EQ(manifest.attribute("B"), "twowords");
}

TEST(ManifestTest, answers_nothing_for_a_missing_attribute) {
  EXPECT_FALSE(Manifest::parse("A: 1\n").attribute("Missing").has_value());
}

TEST(ManifestTest, ignores_malformed_lines) {
  auto manifest = Manifest::parse("garbage\n: empty name\nA: 1\n");
  EXPECT_EQ(manifest.attribute("A"), "1");
}
