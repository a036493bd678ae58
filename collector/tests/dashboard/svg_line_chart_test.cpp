#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "dashboard/svg_line_chart.hpp"

namespace telemetry::collector {
namespace {

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t found = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++found;
  return found;
}

TimeSeries days(std::size_t periods, std::size_t lines) {
  TimeSeries series;
  for (std::size_t i = 0; i < periods; ++i) series.periods.push_back("d" + std::to_string(i));
  for (std::size_t l = 0; l < lines; ++l) {
    series.lines.emplace_back("line" + std::to_string(l),
                              std::vector<std::int64_t>(periods, static_cast<std::int64_t>(l + 1)));
  }
  return series;
}

TEST(SvgLineChartTest, SaysNoDataForAnEmptySeries) {
  const auto html = SvgLineChart::render("trend-x", "Active", TimeSeries{});
  EXPECT_NE(html.find("no data yet"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  TimeSeries noLines;
  noLines.periods = {"2026-12-01"};
  EXPECT_NE(SvgLineChart::render("trend-x", "Active", noLines).find("no data yet"),
            std::string::npos);
}

TEST(SvgLineChartTest, IsAnAccessibleImageThatScalesWithThePage) {
  const auto html = SvgLineChart::render("trend-active", "Active per day", days(3, 1));
  EXPECT_NE(html.find("id=\"trend-active\""), std::string::npos);
  EXPECT_NE(html.find("role=\"img\""), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"Active per day, d0 to d2, 1 line;"), std::string::npos);
  EXPECT_NE(html.find("<title>Active per day</title>"), std::string::npos);
  EXPECT_NE(html.find("viewBox=\"0 0 "), std::string::npos);
  EXPECT_NE(html.find("width=\"100%\""), std::string::npos);
  EXPECT_EQ(html.find("height=\""), html.find("height=\"12\""));  // only the legend sample
}

TEST(SvgLineChartTest, DrawsASinglePeriodAsAMarkerInTheMiddle) {
  const auto html = SvgLineChart::render("t", "One day", days(1, 1));
  EXPECT_EQ(html.find("<polyline"), std::string::npos);  // a line of one point shows nothing
  EXPECT_EQ(count(html, "<g><title>line0</title><path d="), 1u);
  EXPECT_NE(html.find("<td>1</td>"), std::string::npos);
}

TEST(SvgLineChartTest, PutsEveryValueOfNinetyDaysInTheTableAndFewerMarkersOnTheLine) {
  TimeSeries series = days(90, 1);
  for (std::size_t i = 0; i < 90; ++i) series.lines[0].second[i] = static_cast<std::int64_t>(i * 7);
  const auto html = SvgLineChart::render("t", "Ninety", series);
  EXPECT_EQ(count(html, "<tr><th scope=\"row\">"), 90u);
  EXPECT_NE(html.find("<td>623</td>"), std::string::npos);  // 89 * 7
  const std::regex point("[0-9.]+,[0-9.]+");
  const auto polyline = html.substr(
      html.find("points=\""), html.find("\"/>", html.find("points=\"")) - html.find("points=\""));
  EXPECT_EQ(std::distance(std::sregex_iterator(polyline.begin(), polyline.end(), point),
                          std::sregex_iterator()),
            90);
  EXPECT_LE(count(html, "stroke-width=\"1.6\""), 17u);      // markers, plus the legend's
  EXPECT_NE(html.find(">1000</text>"), std::string::npos);  // the axis: 623 rounded up
  EXPECT_NE(html.find(">d0</text>"), std::string::npos);
  EXPECT_NE(html.find(">d89</text>"), std::string::npos);
}

TEST(SvgLineChartTest, EscapesHostileNamesAndPeriods) {
  TimeSeries series;
  series.periods = {"<p>", "'&\""};
  series.lines = {{"<script>alert('x')</script>&\"", {1, 2}}};
  const auto html = SvgLineChart::render("t", "A <b>title</b>", series);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<p>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(html.find("'&\""), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"),
            std::string::npos);
}

TEST(SvgLineChartTest, SumsTheLinesPastTheLimitIntoOther) {
  const auto html = SvgLineChart::render("t", "Versions", days(2, 9));
  // Lines 0-5 kept (values 1-6), 6-8 summed: 7 + 8 + 9.
  EXPECT_EQ(count(html, "<th scope=\"col\">"), 1u + 7u);
  EXPECT_NE(html.find("<th scope=\"col\">other</th>"), std::string::npos);
  EXPECT_EQ(html.find("line6"), std::string::npos);
  EXPECT_NE(html.find("<td>24</td></tr>"), std::string::npos);
}

TEST(SvgLineChartTest, MergesAnOtherLineItWasGivenWithTheRest) {
  TimeSeries series = days(1, 8);
  series.lines[1].first = "other";
  const auto html = SvgLineChart::render("t", "Versions", series, "", 6);
  EXPECT_EQ(count(html, "<th scope=\"col\">other</th>"), 1u);
  EXPECT_EQ(html.find("line7"), std::string::npos);
  // The given "other" (2) and line7 (8), past the six kept, in the last column.
  EXPECT_NE(html.find("<td>7</td><td>10</td></tr>"), std::string::npos);
}

TEST(SvgLineChartTest, TellsLinesApartWithoutColour) {
  const auto html = SvgLineChart::render("t", "Versions", days(3, 7));
  // Each line's dash pattern is distinct (one solid), and repeated in its legend sample.
  for (const char* dashes : {"9 4", "2 3", "10 3 2 3", "16 5", "4 2 1 2", "1 5"}) {
    EXPECT_EQ(count(html, std::string("stroke-dasharray=\"") + dashes + "\""), 2u) << dashes;
  }
  EXPECT_EQ(count(html, "<li><svg class=\"sample\""), 7u);
}

TEST(SvgLineChartTest, FillsMissingValuesWithZeroAndIgnoresExtraOnes) {
  TimeSeries series;
  series.periods = {"a", "b", "c"};
  series.lines = {{"short", {5}}, {"long", {1, 2, 3, 4, 99}}};
  const auto html = SvgLineChart::render("t", "Odd", series);
  EXPECT_NE(html.find("<th scope=\"row\">c</th><td>0</td><td>3</td>"), std::string::npos);
  EXPECT_EQ(html.find("99"), std::string::npos);
}

TEST(SvgLineChartTest, WritesTheUnitAfterEachValue) {
  const auto html = SvgLineChart::render("t", "Share", days(2, 1), " %");
  EXPECT_NE(html.find("<td>1 %</td>"), std::string::npos);
}

}  // namespace
}  // namespace telemetry::collector
