#include "import/import_line_reader.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace telemetry::collector {
namespace {

using Problem = ImportLine::Problem;

std::vector<ImportLine> readAll(const std::string& text, std::size_t maxLine) {
  std::istringstream in(text);
  ImportLineReader reader(in, maxLine);
  std::vector<ImportLine> lines;
  for (ImportLine line; reader.next(line);) lines.push_back(line);
  return lines;
}

TEST(ImportLineReaderTest, SplitsAtNewlinesAndNumbersTheLines) {
  const auto lines = readAll("one\n\ntwo\n", 10);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].text, "one");
  EXPECT_EQ(lines[1].text, "");
  EXPECT_EQ(lines[2].text, "two");
  EXPECT_EQ(lines[2].number, 3u);
  EXPECT_EQ(lines[2].problem, Problem::none);
}

TEST(ImportLineReaderTest, AnEmptyFileHasNoLines) { EXPECT_TRUE(readAll("", 10).empty()); }

TEST(ImportLineReaderTest, ALastLineWithoutNewlineIsUnterminated) {
  const auto lines = readAll("one\ntw", 10);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].text, "tw");
  EXPECT_EQ(lines[1].problem, Problem::unterminated);
}

TEST(ImportLineReaderTest, ALineOverTheLimitIsSkippedWithoutKeepingItAndTheNextIsRead) {
  const std::string huge(1 << 20, 'x');
  const auto lines = readAll("12345\n123456\n" + huge + "\nok\n", 5);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].problem, Problem::none);
  EXPECT_EQ(lines[1].problem, Problem::tooLong);
  EXPECT_EQ(lines[2].problem, Problem::tooLong);
  EXPECT_TRUE(lines[2].text.empty());
  EXPECT_EQ(lines[3].text, "ok");
  EXPECT_EQ(lines[3].number, 4u);
}

TEST(ImportLineReaderTest, NulAndInvalidUtf8PassThroughForTheParserToRefuse) {
  const std::string text("a\0b\xff\n", 5);
  const auto lines = readAll(text, 10);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, std::string("a\0b\xff", 4));
}

}  // namespace
}  // namespace telemetry::collector
