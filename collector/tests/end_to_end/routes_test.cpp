// Which path answers which method, end to end: 404 for an unknown path, 405 and Allow
// for a known one asked with another method.
#include "collector_end_to_end.hpp"

namespace telemetry::collector::test {
namespace {

TEST_F(CollectorEndToEndTest, Answers404And405) {
  start();
  EXPECT_EQ(request("GET", "/nothing").status, 404);
  EXPECT_EQ(request("GET", "/pings").status, 405);
}

}  // namespace
}  // namespace telemetry::collector::test
