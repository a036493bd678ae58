// The upload's answer page: the JSON answer's figures, escaped reasons, never the token.
#include "upload/import_result_page.hpp"

#include <gtest/gtest.h>

namespace telemetry::collector {
namespace {

TEST(ImportResultPageTest, ShowsTheCountsAndEachRefusedLineEscaped) {
  ImportSummary summary;
  summary.stored = 3;
  summary.duplicates = 2;
  summary.deleted = 1;
  summary.refused = {{4, "unknown member '<img src=x>'"}, {0, "too many lines"}};
  const std::string page = ImportResultPage::render(summary, 100);
  EXPECT_NE(page.find("<b>3</b>stored"), std::string::npos) << page;
  EXPECT_NE(page.find("<b>2</b>duplicate(s)"), std::string::npos) << page;
  EXPECT_NE(page.find("<b>1</b>dropped"), std::string::npos) << page;
  EXPECT_NE(page.find("<b>2</b>refused"), std::string::npos) << page;
  EXPECT_NE(page.find("<td>4</td><td>unknown member &#39;&lt;img src=x&gt;&#39;</td>"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("<td>the file</td>"), std::string::npos) << page;
  EXPECT_EQ(page.find("<img"), std::string::npos);
}

TEST(ImportResultPageTest, ListsAtMostTheLimitAndCountsTheRest) {
  ImportSummary summary;
  for (std::size_t line = 1; line <= 5; ++line) summary.refused.push_back({line, "bad"});
  const std::string page = ImportResultPage::render(summary, 2);
  EXPECT_NE(page.find("<td>2</td>"), std::string::npos);
  EXPECT_EQ(page.find("<td>3</td>"), std::string::npos);
  EXPECT_NE(page.find("3 more refused line(s)"), std::string::npos) << page;
}

TEST(ImportResultPageTest, SaysEverythingWasStoredWhenNothingWasRefused) {
  ImportSummary summary;
  summary.duplicates = 2;
  const std::string page = ImportResultPage::render(summary, 100);
  EXPECT_NE(page.find("Every report of the file was stored or was already stored"),
            std::string::npos);
  EXPECT_EQ(page.find("<table"), std::string::npos);
}

TEST(ImportResultPageTest, ARefusalIsEscaped) {
  const std::string page = ImportResultPage::refusal("wrong <token>");
  EXPECT_NE(page.find("wrong &lt;token&gt;"), std::string::npos) << page;
  EXPECT_NE(page.find("href=\"/imports\""), std::string::npos);
}

}  // namespace
}  // namespace telemetry::collector
