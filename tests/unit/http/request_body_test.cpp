// Request bodies read without trusting the client: at most limit + 1 bytes are read, JSON
// nesting is capped, and only JSON media types count as JSON.
#include "telemetry/http/request_body.hpp"

#include <sstream>
#include <string>

#include <Poco/Exception.h>
#include <gtest/gtest.h>

namespace {

using telemetry::http::isJsonMediaType;
using telemetry::http::parseJsonBody;
using telemetry::http::readCappedBody;

TEST(RequestBodyTest, ABodyUpToTheLimitIsReadWhole) {
  std::istringstream exact(std::string(10, 'a'));
  EXPECT_EQ(readCappedBody(exact, 10), std::string(10, 'a'));
  std::istringstream empty("");
  EXPECT_EQ(readCappedBody(empty, 10), "");
}

TEST(RequestBodyTest, ALargerBodyIsReadOnlyOneByteBeyondTheLimit) {
  std::istringstream large(std::string(100000, 'a') + "rest");
  EXPECT_EQ(readCappedBody(large, 10).size(), 11u);
  EXPECT_EQ(large.tellg(), 11) << "read more of a too large body than it needs to refuse it";
}

TEST(RequestBodyTest, AZeroLimitStillTellsAnEmptyBodyFromANonEmptyOne) {
  std::istringstream empty("");
  EXPECT_EQ(readCappedBody(empty, 0), "");
  std::istringstream one("x");
  EXPECT_EQ(readCappedBody(one, 0), "x");
}

TEST(RequestBodyTest, JsonNestedWithinTheDepthParses) {
  const Poco::Dynamic::Var value = parseJsonBody(R"({"a": {"b": [1, 2]}})", 3);
  EXPECT_TRUE(value.isStruct() || !value.isEmpty());
}

TEST(RequestBodyTest, JsonNestedDeeperThanTheDepthIsRefused) {
  const std::string deep = std::string(1000, '[') + std::string(1000, ']');
  EXPECT_THROW(parseJsonBody(deep, 32), Poco::Exception);
  EXPECT_THROW(parseJsonBody(R"({"a": {"b": [1]}})", 2), Poco::Exception);
}

TEST(RequestBodyTest, BadJsonThrowsPocoException) {
  for (const char* body : {"", "{", "{\"a\": }", "[1, 2", "nul"}) {
    EXPECT_THROW(parseJsonBody(body, 32), Poco::Exception) << body;
  }
}

TEST(RequestBodyTest, JsonMediaTypesAreJsonWithAnyParametersAndCase) {
  for (const char* type :
       {"application/json", "application/json; charset=utf-8", "Application/JSON",
        "application/problem+json", "application/vnd.x+JSON"}) {
    EXPECT_TRUE(isJsonMediaType(type)) << type;
  }
}

TEST(RequestBodyTest, OtherOrBrokenMediaTypesAreNotJson) {
  for (const char* type :
       {"", "text/json", "application/jsonx", "application/x-www-form-urlencoded", "text/plain",
        "json", "application/"}) {
    EXPECT_FALSE(isJsonMediaType(type)) << type;
  }
}

}  // namespace
