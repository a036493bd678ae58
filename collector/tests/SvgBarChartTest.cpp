#include <gtest/gtest.h>

#include "DashboardPage.hpp"
#include "SvgBarChart.hpp"

namespace telemetry::collector {
namespace {

TEST(SvgBarChartTest, escapes_sender_chosen_labels) {
  const auto svg = SvgBarChart::render("Databases", {{"<script>alert(1)</script>", 1}});
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
}

TEST(SvgBarChartTest, sums_the_tail_into_other) {
  const auto svg = SvgBarChart::render("Versions", {{"a", 5}, {"b", 3}, {"c", 2}}, 1);
  EXPECT_NE(svg.find(">other<"), std::string::npos);
  EXPECT_NE(svg.find(">5<"), std::string::npos);
}

TEST(SvgBarChartTest, dashboard_page_loads_nothing_from_elsewhere) {
  CollectorStats stats;
  stats.databases = {{"h2", 1}};
  const auto html = DashboardPage::render(stats);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace telemetry::collector
