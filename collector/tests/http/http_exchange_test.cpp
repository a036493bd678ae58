#include <gtest/gtest.h>

#include "http/http_exchange.hpp"

namespace telemetry::collector {
namespace {

TEST(HttpExchangeTest, JoinsEveryLineOfAHeaderInArrivalOrder) {
  HttpRequest request;
  request.headers = {{"X-Forwarded-For", "198.51.100.1"},
                     {"Host", "x"},
                     {"x-forwarded-for", ""},
                     {"X-FORWARDED-FOR", "203.0.113.7, 10.0.0.1"}};
  EXPECT_EQ(request.headerList("X-Forwarded-For"), "198.51.100.1, 203.0.113.7, 10.0.0.1");
  EXPECT_EQ(request.header("X-Forwarded-For"), "198.51.100.1");
  EXPECT_EQ(request.headerList("Via"), "");
}

}  // namespace
}  // namespace telemetry::collector
