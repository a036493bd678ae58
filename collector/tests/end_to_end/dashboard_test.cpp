// The dashboard's query string end to end: GET /, /api/stats and /api/stats.csv take the
// same filter, refuse the same hostile ones with 400, and say what they were asked for.
#include <Poco/JSON/Parser.h>

#include <string>

#include "collector_end_to_end.hpp"

namespace telemetry::collector::test {
namespace {

Poco::JSON::Object::Ptr json(const Reply& reply) {
  return Poco::JSON::Parser().parse(reply.body).extract<Poco::JSON::Object::Ptr>();
}

TEST_F(CollectorEndToEndTest, RefusesABadQueryStringOnEveryFigureWith400NamingTheParameter) {
  start();
  const auto stats = request("GET", "/api/stats?versoin=7.14.0");
  EXPECT_EQ(stats.status, 400);
  EXPECT_EQ(json(stats)->getValue<std::string>("error"),
            "unknown parameter 'versoin' (did you mean 'version'?); known: version, edition, "
            "from, to");
  const auto csv = request("GET", "/api/stats.csv?from=2026-02-30");
  EXPECT_EQ(csv.status, 400);
  EXPECT_NE(csv.body.find("'from' is not a date"), std::string::npos) << csv.body;
  auto page = request("GET", "/?version=%FF");
  EXPECT_EQ(page.status, 400);
  EXPECT_EQ(page.headers["Content-Type"], "text/html; charset=utf-8");
  EXPECT_NE(page.body.find("&#39;version&#39; is not valid UTF-8"), std::string::npos);
  EXPECT_EQ(request("GET", "/api/stats?version=1&version=2").status, 400);
  EXPECT_EQ(request("GET", "/api/stats?version=" + std::string(101, 'v')).status, 400);
  EXPECT_EQ(request("GET", "/api/stats?edition=%00").status, 400);
  EXPECT_EQ(request("GET", "/api/stats?from=2020-01-01&to=2026-01-01").status, 400);
}

TEST_F(CollectorEndToEndTest, SaysWhichFilterItsFiguresAreFor) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  waitUntilDrained();
  const auto reply = request("GET", "/api/stats?version=7.14.0&from=2026-01-01&to=2026-01-31");
  ASSERT_EQ(reply.status, 200) << reply.body;
  const auto filter = json(reply)->getObject("filter");
  EXPECT_EQ(filter->getValue<std::string>("version"), "7.14.0");
  EXPECT_TRUE(filter->isNull("edition"));
  EXPECT_EQ(filter->getValue<std::string>("from"), "2026-01-01");
  EXPECT_EQ(filter->getValue<std::string>("to"), "2026-01-31");
  const auto trends = json(reply)->getObject("trends");
  for (const char* name :
       {"active", "active-by-version", "active-by-database", "new-per-week", "opted-in"}) {
    ASSERT_TRUE(trends->has(name)) << name;
    EXPECT_TRUE(trends->getObject(name)->getArray("periods"));
    EXPECT_TRUE(trends->getObject(name)->getArray("lines"));
  }
  // The default is the last 90 days.
  const auto unfiltered = json(request("GET", "/api/stats"))->getObject("filter");
  EXPECT_TRUE(unfiltered->isNull("version"));
  EXPECT_FALSE(unfiltered->isNull("from"));
}

TEST_F(CollectorEndToEndTest, ServesTheFiguresAsCsvForSpreadsheets) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  waitUntilDrained();
  auto reply = request("GET", "/api/stats.csv?from=2026-11-01&to=2026-11-30");
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.headers["Content-Type"], "text/csv; charset=utf-8");
  EXPECT_EQ(reply.headers["Content-Disposition"],
            "attachment; filename=\"telemetry-stats-2026-11-01-to-2026-11-30.csv\"");
  EXPECT_EQ(reply.body.rfind("figure,period,name,value\r\ninstallations,,total,1\r\n", 0), 0u)
      << reply.body;
  EXPECT_NE(reply.body.find("\r\nreports,,stored,1\r\n"), std::string::npos);
}

TEST_F(CollectorEndToEndTest, ShowsTheFilterFormAndTheCsvLinkOnThePage) {
  start();
  const auto reply = request("GET", "/?edition=enterprise&from=2026-10-01&to=2026-10-31");
  ASSERT_EQ(reply.status, 200);
  EXPECT_NE(reply.body.find("<option value=\"enterprise\" selected>"), std::string::npos);
  EXPECT_NE(reply.body.find("href=\"/api/stats.csv?edition=enterprise&amp;from=2026-10-01&amp;"
                            "to=2026-10-31\""),
            std::string::npos);
}

}  // namespace
}  // namespace telemetry::collector::test
