#include "telemetry/plugins/java_class_file.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "telemetry/plugins/testing/temp_dir.hpp"

using namespace telemetry::plugins;
using telemetry::plugins::testing::TempDir;

namespace {

// Compiles a real class with javac, so the test reads what a JDK produces.
std::string compiledConstants(const TempDir& dir) {
  dir.write("Constants.java",
            "public class Constants {\n"
            "  public static final long BIG = 1L << 40;\n"
            "  public static final double RATIO = 1.5;\n"
            "  public static final int NUMBER = 70000;\n"
            "  public static final String BUILD_DATE = \"2022-06-13\";\n"
            "  public static String notConstant = \"x\";\n"
            "}\n");
  std::string command =
      "javac -d '" + dir.path().string() + "' '" + (dir / "Constants.java").string() + "'";
  if (std::system(command.c_str()) != 0) return {};
  std::ifstream in(dir / "Constants.class", std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

TEST(JavaClassFileTest, reads_a_string_constant_field) {
  TempDir dir;
  std::string bytes = compiledConstants(dir);
  ASSERT_FALSE(bytes.empty()) << "javac failed";
  EXPECT_EQ(stringConstantField(bytes, "BUILD_DATE"), "2022-06-13");
}

TEST(JavaClassFileTest, answers_nothing_for_a_field_without_constant_value) {
  TempDir dir;
  std::string bytes = compiledConstants(dir);
  ASSERT_FALSE(bytes.empty()) << "javac failed";
  EXPECT_FALSE(stringConstantField(bytes, "notConstant").has_value());
  EXPECT_FALSE(stringConstantField(bytes, "NUMBER").has_value());
}

TEST(JavaClassFileTest, refuses_truncated_bytes) {
  TempDir dir;
  std::string bytes = compiledConstants(dir);
  ASSERT_FALSE(bytes.empty()) << "javac failed";
  for (std::size_t size = 0; size + 1 < bytes.size(); size += 7) {
    try {
      (void)stringConstantField(std::string_view(bytes).substr(0, size), "BUILD_DATE");
    } catch (const ClassFileError&) {
    }
  }
  EXPECT_THROW(stringConstantField(std::string_view(bytes).substr(0, 40), "BUILD_DATE"),
               ClassFileError);
}

TEST(JavaClassFileTest, refuses_bytes_that_are_not_a_class) {
  EXPECT_THROW(stringConstantField("PK\x03\x04 not a class", "X"), ClassFileError);
}
