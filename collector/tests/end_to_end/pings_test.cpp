// POST /pings end to end: what is stored, what is a duplicate, what is refused and
// why, the rate limit, and what the host's `telemetry send` delivers.
#include "collector_end_to_end.hpp"

namespace telemetry::collector::test {
namespace {

TEST_F(CollectorEndToEndTest, StoresTheSpecExampleReport) {
  start();
  const auto reply = post(example(), {{"Idempotency-Key", "0b8f0e64-4d0e-4a7c-9d53-2f4f8e2a5b11"}});
  EXPECT_EQ(reply.status, 202) << reply.body;
  EXPECT_EQ(storedRows(), 1);
}

TEST_F(CollectorEndToEndTest, AnswersARepeatedIdempotencyKeyAsDuplicate) {
  start();
  const std::map<std::string, std::string> key{{"Idempotency-Key", "report-1"}};
  ASSERT_EQ(post(example(), key).status, 202);
  const auto again = post(example(), key);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, R"({"duplicate":true})");
  EXPECT_EQ(storedRows(), 1);
}

TEST_F(CollectorEndToEndTest, AnswersARepeatedIdempotencyKeyWithAnotherBody422) {
  start();
  const std::map<std::string, std::string> key{{"Idempotency-Key", "report-1"}};
  ASSERT_EQ(post(example(), key).status, 202);
  // Whitespace is not a different report: the payload compared is the compacted JSON.
  EXPECT_EQ(post(" " + example() + "\n", key).status, 200);
  std::string changed = example();
  changed.replace(changed.find("\"enterprise\""), 12, "\"community\"");
  const auto reused = post(changed, key);
  EXPECT_EQ(reused.status, 422);
  EXPECT_NE(reused.body.find("used before for a different report"), std::string::npos)
      << reused.body;
  EXPECT_EQ(storedRows(), 1);
  EXPECT_NE(request("GET", "/metrics")
                .body.find("telemetry_collector_rejected_total{reason=\"key_reused\"} 1\n"),
            std::string::npos);
}

TEST_F(CollectorEndToEndTest, AnswersTheSamePayloadWithoutKeyAsDuplicate) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  const auto again = post(example());
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, R"({"duplicate":true})");
  EXPECT_EQ(storedRows(), 1);
}

TEST_F(CollectorEndToEndTest, StoresTheInitialReportOnce) {
  start();
  ASSERT_EQ(post(initial(), {{"Idempotency-Key", "a"}}).status, 202);
  EXPECT_EQ(post(initial(), {{"Idempotency-Key", "b"}}).status, 200);
  EXPECT_EQ(storedRows(), 1);
}

TEST_F(CollectorEndToEndTest, RejectsANonJsonContentTypeWith415) {
  start();
  EXPECT_EQ(post(example(), {{"Content-Type", "text/plain"}}).status, 415);
}

TEST_F(CollectorEndToEndTest, RejectsAnInvalidReportWith400NamingTheField) {
  start();
  std::string report = example();
  report.replace(report.find("\"enterprise\""), 12, "\"premium\"");
  const auto reply = post(report);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.body.find(R"("field":"/product/edition")"), std::string::npos) << reply.body;
}

TEST_F(CollectorEndToEndTest, RejectsMalformedJsonWith400) {
  start();
  EXPECT_EQ(post("{\"installation\": ").status, 400);
}

TEST_F(CollectorEndToEndTest, RejectsADeclaredOversizedBodyWith413WithoutReadingIt) {
  start();
  // Only the headers are sent: the answer must come without the 10 MiB body.
  const auto reply = request("POST", "/pings", "", {{"Content-Length", "10485760"}});
  EXPECT_EQ(reply.status, 413);
}

TEST_F(CollectorEndToEndTest, RejectsAnOversizedChunkedBodyWith413) {
  start("max-body: 1KiB\n");
  const auto reply =
      request("POST", "/pings", std::string(1500, ' '), {{"Transfer-Encoding", "chunked"}});
  EXPECT_EQ(reply.status, 413);
}

TEST_F(CollectorEndToEndTest, Answers429WithRetryAfterOverTheRateLimit) {
  start("rate-limit: { per-minute: 1, burst: 2 }\n");
  EXPECT_EQ(post("{}").status, 400);
  EXPECT_EQ(post("{}").status, 400);
  const auto limited = post("{}");
  EXPECT_EQ(limited.status, 429);
  ASSERT_TRUE(limited.headers.contains("Retry-After"));
  EXPECT_GE(std::stoi(limited.headers.at("Retry-After")), 1);
}

TEST_F(CollectorEndToEndTest, StoresTheInitialAndFullReportTelemetrySendDelivers) {
  start();
  const auto initialSend = sendFromHost({"--initial"});
  ASSERT_EQ(initialSend.exitCode, 0) << initialSend.err;
  const auto fullSend = sendFromHost();
  ASSERT_EQ(fullSend.exitCode, 0) << fullSend.err;
  const auto figures = stats();
  EXPECT_EQ(figures->getObject("installations")->getValue<int>("total"), 1);
  EXPECT_EQ(figures->getObject("installations")->getValue<int>("initial-only"), 0);
  EXPECT_EQ(figures->getValue<int>("reports"), 2);
}

TEST_F(CollectorEndToEndTest, StoresEveryTelemetrySendAsANewReport) {
  start();
  // The host gives each report its own Idempotency-Key: sending again is a new report.
  for (int i = 0; i < 2; ++i) ASSERT_EQ(sendFromHost().exitCode, 0);
  EXPECT_EQ(storedRows(), 2);
  EXPECT_EQ(stats()->getObject("installations")->getValue<int>("total"), 1);
}

}  // namespace
}  // namespace telemetry::collector::test
