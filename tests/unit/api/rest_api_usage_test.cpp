// The REST API: usage counts posted by the product: who may post, what arrives in the report, what
// a bad count gets, and what an opt-out forgets.
#include "rest_api_fixture.hpp"

namespace {

using namespace telemetry::test::rest_api;

TEST_F(RestApiTest, UsageNeedsTheUsageGroupAndArrivesInTheReport) {
  const std::string body =
      R"({"commands":{"StartProcessInstanceCmd":3},"metrics":{"root-process-instance-start":2},)"
      R"("workers":["worker-1","worker-2"]})";
  EXPECT_EQ(call({"POST", "/telemetry/usage", kReader, body, "application/json"}).status, 403);
  EXPECT_EQ(call({"POST", "/telemetry/usage", kAdmin, body, "application/json"}).status, 403);
  ASSERT_EQ(call({"POST", "/telemetry/usage", kProduct, body, "application/json"}).status, 204);

  auto internals = reportInternals();
  EXPECT_EQ(internals->getObject("commands")
                ->getObject("StartProcessInstanceCmd")
                ->getValue<int>("count"),
            3);
  auto metrics = internals->getObject("metrics");
  EXPECT_EQ(metrics->getObject("root-process-instance-start")->getValue<int>("count"), 2);
  EXPECT_EQ(metrics->getObject("unique-task-workers")->getValue<int>("count"), 2);
}

TEST_F(RestApiTest, BadUsageIs400NamingTheFieldAndCountsNothing) {
  auto post = [&](const std::string& body) {
    return call({"POST", "/telemetry/usage", kProduct, body, "application/json"});
  };
  auto field = [&](const std::string& body) {
    Reply reply = post(body);
    EXPECT_EQ(reply.status, 400) << body;
    return reply.json()->optValue<std::string>("field", "");
  };
  EXPECT_EQ(field(R"({"commands":{"A":1},"metrics":{"page-views":1}})"), "metrics.page-views");
  EXPECT_EQ(field(R"({"metrics":{"unique-task-workers":5}})"), "metrics.unique-task-workers");
  EXPECT_EQ(field(R"({"commands":{"A":0}})"), "commands.A");
  EXPECT_EQ(field(R"({"commands":{"A":-1}})"), "commands.A");
  EXPECT_EQ(field(R"({"commands":{"A":"1"}})"), "commands.A");
  EXPECT_EQ(field(R"({"commands":{"A":1.5}})"), "commands.A");
  EXPECT_EQ(field(R"({"commands":[1]})"), "commands");
  EXPECT_EQ(field(R"({"workers":"w"})"), "workers");
  EXPECT_EQ(field(R"({"workers":["w",7]})"), "workers[1]");
  EXPECT_EQ(field(R"({"workers":[""]})"), "workers[0]");
  EXPECT_EQ(field(R"({"counts":{}})"), "counts");
  EXPECT_FALSE(reportInternals()->getObject("commands")->has("A")) << "a 400 counts nothing";
}

TEST_F(RestApiTest, CountsAreWholeNumbersUpTo2To63Minus1AndSumsStopThere) {
  auto post = [&](const std::string& count) {
    return call({"POST", "/telemetry/usage", kProduct, R"({"commands":{"A":)" + count + "}}",
                 "application/json"});
  };
  for (const char* bad : {"9223372036854775808", "18446744073709551615", "18446744073709551616",
                          "0", "-1", "1.5", "1e3"}) {
    Reply reply = post(bad);
    EXPECT_EQ(reply.status, 400) << bad;
    EXPECT_THAT(reply.body, HasSubstr("9223372036854775807")) << bad;
  }
  EXPECT_EQ(post("36893488147419103232").status, 400) << "too large even for Poco";
  ASSERT_EQ(post("5").status, 204);
  ASSERT_EQ(post("9223372036854775807").status, 204);
  ASSERT_EQ(post("9223372036854775807").status, 204);
  auto count = reportInternals()->getObject("commands")->getObject("A")->get("count");
  EXPECT_EQ(count.toString(), "9223372036854775807") << "saturated, neither wrapped nor REAL";
}

TEST_F(RestApiTest, CountsMadeWhileDisabledAreNotReportedAfterAQuickReEnable) {
  ASSERT_EQ(call({"POST", "/telemetry/usage", kProduct, R"({"commands":{"Before":1}})",
                  "application/json"})
                .status,
            204);
  ASSERT_EQ(setEnabled(false).status, 204);
  ASSERT_EQ(call({"POST", "/telemetry/usage", kProduct,
                  R"({"commands":{"WhileOff":4},"metrics":{"activity-instance-start":2},)"
                  R"("workers":["w-off"]})",
                  "application/json"})
                .status,
            204);
  ASSERT_EQ(setEnabled(true).status, 204);
  auto internals = reportInternals();
  EXPECT_FALSE(internals->getObject("commands")->has("WhileOff"));
  EXPECT_FALSE(internals->getObject("commands")->has("Before")) << "an opt-out forgets";
  auto metrics = internals->getObject("metrics");
  EXPECT_EQ(metrics->getObject("activity-instance-start")->getValue<int>("count"), 0);
  EXPECT_EQ(metrics->getObject("unique-task-workers")->getValue<int>("count"), 0);
}

}  // namespace
