#include <gtest/gtest.h>

#include "dashboard/dashboard_page.hpp"
#include "dashboard/svg_bar_chart.hpp"

namespace telemetry::collector {
namespace {

TEST(SvgBarChartTest, EscapesSenderChosenLabels) {
  const auto svg = SvgBarChart::render("Databases", {{"<script>alert(1)</script>", 1}});
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
}

TEST(SvgBarChartTest, SumsTheTailIntoOther) {
  const auto svg = SvgBarChart::render("Versions", {{"a", 5}, {"b", 3}, {"c", 2}}, 1);
  EXPECT_NE(svg.find(">other<"), std::string::npos);
  EXPECT_NE(svg.find(">5<"), std::string::npos);
}

TEST(SvgBarChartTest, DashboardPageLoadsNothingFromElsewhere) {
  CollectorStats stats;
  stats.databases = {{"h2", 1}};
  const auto html = DashboardPage::render(stats);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
}

// Found by an outside trial: 4 of 6 opted in showed as "66 %" (truncated).
TEST(SvgBarChartTest, DashboardPageRoundsTheOptInShareToTheNearestPercent) {
  auto shareOf = [](std::int64_t optedIn, std::int64_t installations) {
    CollectorStats stats;
    stats.installations = installations;
    stats.optedIn = optedIn;
    const auto html = DashboardPage::render(stats);
    const auto card = html.find("opt-in share");
    const auto value = html.rfind("<b>", card);
    return html.substr(value + 3, html.find("</b>", value) - value - 3);
  };
  EXPECT_EQ(shareOf(4, 6), "67 %");
  EXPECT_EQ(shareOf(1, 3), "33 %");
  EXPECT_EQ(shareOf(1, 200), "1 %");  // 0.5 rounds up
  EXPECT_EQ(shareOf(1, 201), "0 %");
  EXPECT_EQ(shareOf(6, 6), "100 %");
  EXPECT_EQ(shareOf(0, 0), "-");
}

}  // namespace
}  // namespace telemetry::collector
