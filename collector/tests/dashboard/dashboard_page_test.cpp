#include <gtest/gtest.h>

#include "dashboard/dashboard_page.hpp"

namespace telemetry::collector {
namespace {

CollectorStats someStats() {
  CollectorStats stats;
  stats.installations = 3;
  stats.optedIn = 2;
  stats.versions = {{"7.14.0", 2}, {"\"><script>x</script>", 1}};
  stats.editions = {{"community", 3}};
  stats.filter.fromDay = 20704;
  stats.filter.toDay = 20793;
  stats.trends.active.periods = {"2026-12-05", "2026-12-06"};
  stats.trends.active.lines = {{"active", {3, 4}}};
  stats.trends.optedIn.periods = stats.trends.active.periods;
  stats.trends.optedIn.lines = {{"opted-in", {2, 1}}};
  return stats;
}

TEST(DashboardPageTest, OffersAFilterFormOfTheVersionsAndEditionsSeen) {
  const auto html = DashboardPage::render(someStats());
  EXPECT_NE(html.find("<form method=\"get\" action=\"/\""), std::string::npos);
  EXPECT_NE(html.find("<option value=\"7.14.0\">7.14.0 (2)</option>"), std::string::npos);
  EXPECT_NE(html.find("<option value=\"community\">community (3)</option>"), std::string::npos);
  EXPECT_NE(html.find("name=\"from\" value=\"2026-09-08\""), std::string::npos);
  EXPECT_NE(html.find("name=\"to\" value=\"2026-12-06\""), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;script&gt;x&lt;/script&gt;"), std::string::npos);
}

TEST(DashboardPageTest, KeepsTheChosenVersionSelectedAndLinksTheSameFiguresAsCsv) {
  auto stats = someStats();
  stats.filter.version = "9.9 & <x>";  // not among the versions any more
  const auto html = DashboardPage::render(stats);
  EXPECT_NE(html.find("<option value=\"9.9 &amp; &lt;x&gt;\" selected>"), std::string::npos);
  EXPECT_NE(html.find("href=\"/api/stats.csv?version=9.9%20%26%20%3Cx%3E&amp;from=2026-09-08&amp;"
                      "to=2026-12-06\""),
            std::string::npos);
  EXPECT_NE(html.find("Showing version 9.9 &amp; &lt;x&gt;, all editions"), std::string::npos);
}

TEST(DashboardPageTest, IsReadableOnAPhone) {
  const auto html = DashboardPage::render(someStats());
  EXPECT_NE(html.find("<meta name=\"viewport\" content=\"width=device-width"), std::string::npos);
  EXPECT_EQ(html.find("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width="),
            std::string::npos);  // every chart scales by its viewBox
}

TEST(DashboardPageTest, DrawsEveryTrend) {
  const auto html = DashboardPage::render(someStats());
  for (const char* id : {"trend-active", "trend-active-by-version", "trend-active-by-database",
                         "trend-new-per-week", "trend-opted-in-share"}) {
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  }
}

TEST(DashboardPageTest, ComputesTheOptedInShareOfEachDay) {
  const auto share = DashboardPage::optedInShare(someStats().trends);
  ASSERT_EQ(share.lines.size(), 1u);
  EXPECT_EQ(share.lines[0].second, (std::vector<std::int64_t>{67, 25}));
  CollectorTrends none;
  EXPECT_TRUE(DashboardPage::optedInShare(none).periods.empty());
  CollectorTrends idle = someStats().trends;
  idle.active.lines[0].second = {0, 0};
  EXPECT_EQ(DashboardPage::optedInShare(idle).lines[0].second, (std::vector<std::int64_t>{0, 0}));
}

TEST(DashboardPageTest, ExplainsARefusedQueryWithoutEchoingMarkup) {
  const auto html = DashboardPage::renderRefusal("'version' is <bad>");
  EXPECT_NE(html.find("&#39;version&#39; is &lt;bad&gt;"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"/\">"), std::string::npos);
}

}  // namespace
}  // namespace telemetry::collector
