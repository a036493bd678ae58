#include "telemetry/plugins/text_file.hpp"

#include <gtest/gtest.h>

#include "telemetry/plugins/testing/temp_dir.hpp"

using telemetry::plugins::readTextFile;
using telemetry::plugins::testing::TempDir;

TEST(TextFileTest, reads_a_file_and_says_nothing_for_a_missing_one_or_a_directory) {
  TempDir dir;
  EXPECT_EQ(readTextFile(dir.write("a.txt", std::string("x\0y", 3))), std::string("x\0y", 3));
  EXPECT_FALSE(readTextFile(dir / "missing.txt"));
  EXPECT_FALSE(readTextFile(dir.path()));
}

TEST(TextFileTest, refuses_a_file_over_the_limit_naming_it) {
  TempDir dir;
  auto file = dir.write("big.xml", std::string(11, 'x'));
  EXPECT_EQ(readTextFile(file, 11), std::string(11, 'x'));
  try {
    readTextFile(file, 10);
    FAIL() << "read a file over the limit";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("big.xml"), std::string::npos) << e.what();
  }
}
