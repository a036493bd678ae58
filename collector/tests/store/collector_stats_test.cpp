#include <gtest/gtest.h>

#include <sstream>

#include "store/collector_stats.hpp"

namespace telemetry::collector {
namespace {

std::string compact(const CollectorStats& stats, const char* key) {
  std::ostringstream text;
  stats.toJson()->get(key).extract<Poco::JSON::Object::Ptr>()->stringify(text);
  return text.str();
}

TEST(CollectorStatsTest, WritesTheFilterWithNullForAll) {
  CollectorStats stats;
  stats.filter.version = "7.14.0";
  stats.filter.fromDay = 20704;
  stats.filter.toDay = 20793;
  EXPECT_EQ(compact(stats, "filter"),
            R"({"version":"7.14.0","edition":null,"from":"2026-09-08","to":"2026-12-06"})");
  EXPECT_EQ(compact(CollectorStats{}, "filter"),
            R"({"version":null,"edition":null,"from":null,"to":null})");
}

TEST(CollectorStatsTest, WritesEachTrendAsPeriodsAndNamedLines) {
  CollectorStats stats;
  stats.trends.activeByVersion.periods = {"2026-12-05", "2026-12-06"};
  stats.trends.activeByVersion.lines = {{"7.14.0", {3, 4}}, {"other", {0, 1}}};
  const auto trends = compact(stats, "trends");
  EXPECT_NE(trends.find(R"("active-by-version":{"periods":["2026-12-05","2026-12-06"],)"
                        R"("lines":[{"name":"7.14.0","values":[3,4]},)"
                        R"({"name":"other","values":[0,1]}]})"),
            std::string::npos)
      << trends;
  for (const char* name :
       {"\"active\":", "\"active-by-database\":", "\"new-per-week\":", "\"opted-in\":"}) {
    EXPECT_NE(trends.find(std::string(name) + R"({"periods":[],"lines":[]})"), std::string::npos)
        << name;
  }
}

TEST(CollectorStatsTest, KeepsEveryKeyOfTheContractFirstAndInOrder) {
  std::ostringstream text;
  CollectorStats{}.toJson()->stringify(text);
  const std::string json = text.str();
  std::size_t at = 0;
  for (const char* key :
       {"installations", "reports", "versions", "editions", "databases", "application-servers",
        "jdks", "integrations", "webapps", "reports-per-day", "filter", "trends"}) {
    const auto found = json.find("\"" + std::string(key) + "\":", at);
    ASSERT_NE(found, std::string::npos) << key << " in " << json;
    at = found;
  }
}

}  // namespace
}  // namespace telemetry::collector
