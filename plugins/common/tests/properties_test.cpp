#include "telemetry/plugins/properties.hpp"

#include <gtest/gtest.h>

using telemetry::plugins::Properties;

TEST(PropertiesTest, reads_key_equals_value) {
  EXPECT_EQ(Properties::parse("server.info=Apache Tomcat/10.1.60\n").get("server.info"),
            "Apache Tomcat/10.1.60");
}

TEST(PropertiesTest, accepts_colon_and_blank_separators) {
  auto properties = Properties::parse("a: 1\nb 2\nc\t=  3\n");
  EXPECT_EQ(properties.get("a"), "1");
  EXPECT_EQ(properties.get("b"), "2");
  EXPECT_EQ(properties.get("c"), "3");
}

TEST(PropertiesTest, skips_comment_lines) {
  auto properties = Properties::parse("# a=1\n  ! b=2\nc=3\n");
  EXPECT_FALSE(properties.get("a").has_value());
  EXPECT_FALSE(properties.get("b").has_value());
  EXPECT_EQ(properties.size(), 1u);
}

TEST(PropertiesTest, joins_lines_ending_in_a_backslash) {
  EXPECT_EQ(Properties::parse("a=one \\\n    two\n").get("a"), "one two");
}

TEST(PropertiesTest, keeps_an_escaped_trailing_backslash) {
  EXPECT_EQ(Properties::parse("a=c:\\\\\nb=2\n").get("a"), "c:\\");
}

TEST(PropertiesTest, resolves_escapes_and_unicode) {
  auto properties = Properties::parse("k\\ ey=\\u00e9\\t\\=x\n");
  EXPECT_EQ(properties.get("k ey"), "\xC3\xA9\t=x");
}

TEST(PropertiesTest, combines_surrogate_pairs) {
  EXPECT_EQ(Properties::parse("a=\\ud83d\\ude00").get("a"), "\xF0\x9F\x98\x80");
}

TEST(PropertiesTest, keeps_the_last_of_duplicate_keys) {
  EXPECT_EQ(Properties::parse("a=1\na=2\n").get("a"), "2");
}

TEST(PropertiesTest, reads_a_key_without_value_as_empty) {
  EXPECT_EQ(Properties::parse("lonely\n").get("lonely"), "");
}

TEST(PropertiesTest, accepts_text_without_final_newline) {
  EXPECT_EQ(Properties::parse("a=1\r\nb=2").get("b"), "2");
}
