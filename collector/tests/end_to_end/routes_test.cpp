// Which path answers which method, end to end: 404 for an unknown path, 405 and Allow
// for a known one asked with another method.
#include <map>
#include <string>

#include "collector_end_to_end.hpp"
#include "server/collector_routes.hpp"

namespace telemetry::collector::test {
namespace {

TEST_F(CollectorEndToEndTest, Answers404And405) {
  start();
  EXPECT_EQ(request("GET", "/nothing").status, 404);
  EXPECT_EQ(request("GET", "/pings").status, 405);
}

// The Allow each path must answer, written out here rather than derived from the route
// table, so that a wrong derivation shows.
TEST_F(CollectorEndToEndTest, AnswersAWrongMethodOnEveryRouteWith405AndItsAllow) {
  const std::map<std::string, std::string> allowByPath{{"/pings", "POST"},
                                                       {"/deletions", "POST"},
                                                       {"/", "GET, HEAD"},
                                                       {"/api/stats", "GET, HEAD"},
                                                       {"/metrics", "GET, HEAD"},
                                                       {"/healthz", "GET, HEAD"},
                                                       {"/imports", "GET, HEAD, POST"},
                                                       {"/api/stats.csv", "GET, HEAD"}};
  for (const Route& route : collectorRoutes()) {
    EXPECT_TRUE(allowByPath.contains(std::string(route.path)))
        << "a new route, " << route.path << ", needs its Allow here";
  }
  start();
  for (const auto& [path, allow] : allowByPath) {
    for (const std::string method : {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
      if (allow.find(method) != std::string::npos) continue;
      Reply reply = request(method, path);
      EXPECT_EQ(reply.status, 405) << method << " " << path;
      EXPECT_EQ(reply.headers["Allow"], allow) << method << " " << path;
    }
  }
}

TEST_F(CollectorEndToEndTest, AnswersHeadWhereverItAnswersGet) {
  start();
  for (const std::string path :
       {"/", "/api/stats", "/api/stats.csv", "/metrics", "/healthz", "/imports"}) {
    EXPECT_EQ(request("HEAD", path).status, 200) << path;
  }
}

}  // namespace
}  // namespace telemetry::collector::test
