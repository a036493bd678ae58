// POST /deletions end to end: an installation's reports go, its late reports are dropped,
// a repeated request is still 202, and the worst bodies are refused without harm.
#include "collector_end_to_end.hpp"

namespace telemetry::collector::test {
namespace {

constexpr const char* kExampleId = "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3";

std::string deletionOf(const std::string& installation) {
  return R"({"installation":")" + installation + R"("})";
}

class DeletionsEndToEndTest : public CollectorEndToEndTest {
 protected:
  Reply remove(const std::string& body, std::map<std::string, std::string> headers = {}) {
    return request("POST", "/deletions", body, std::move(headers));
  }
  std::string metrics() { return request("GET", "/metrics").body; }
};

TEST_F(DeletionsEndToEndTest, DeletesEveryReportOfTheInstallationAndDropsItsLateReports) {
  start();
  ASSERT_EQ(post(example(), {{"Idempotency-Key", "one"}}).status, 202);
  std::string later = example();
  later.replace(later.find("\"enterprise\""), 12, "\"community\"");
  ASSERT_EQ(post(later, {{"Idempotency-Key", "two"}}).status, 202);
  ASSERT_EQ(post(initial(), {{"Idempotency-Key", "other"}}).status, 202);
  // Stored before the deletion (it does not wait for the spool): otherwise the drain drops
  // them as it drops the late one, and the count of dropped reports below is 3, not 1.
  ASSERT_EQ(storedRows(), 3);

  const auto deleted = remove(deletionOf(kExampleId), {{"Idempotency-Key", "deletion-1"}});
  EXPECT_EQ(deleted.status, 202) << deleted.body;
  EXPECT_EQ(deleted.body, R"({"deleted":true})");
  EXPECT_EQ(storedRows(), 1) << "only the other installation's report stays";

  // Accepted into the spool like any report (2xx, so its sender stops retrying), then
  // dropped when the drain meets the recorded deletion.
  const auto late = post(example(), {{"Idempotency-Key", "three"}});
  EXPECT_EQ(late.status, 202) << late.body;
  EXPECT_EQ(storedRows(), 1);
  EXPECT_NE(
      metrics().find("telemetry_collector_rejected_total{reason=\"installation_deleted\"} 1\n"),
      std::string::npos);
}

TEST_F(DeletionsEndToEndTest, AnswersARepeatedDeletion202AndChangesNothing) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  const std::map<std::string, std::string> key{{"Idempotency-Key", "deletion-1"}};
  EXPECT_EQ(remove(deletionOf(kExampleId), key).status, 202);
  EXPECT_EQ(remove(deletionOf(kExampleId), key).status, 202) << "the same retry";
  EXPECT_EQ(remove(deletionOf(kExampleId), {{"Idempotency-Key", "deletion-2"}}).status, 202)
      << "another request for the same installation";
  EXPECT_EQ(remove(deletionOf(kExampleId)).status, 202) << "without a key";
  EXPECT_EQ(storedRows(), 0);
  EXPECT_NE(metrics().find("telemetry_collector_deletions_total 4\n"), std::string::npos);
}

TEST_F(DeletionsEndToEndTest, AnswersTheDeletionOfAnUnknownInstallation202) {
  start();
  EXPECT_EQ(remove(deletionOf("b647de4d-e557-455a-a64f-feaecd55f53c")).status, 202);
  // Its first report after that is dropped as well (by the drain, after its 202): the id
  // asked to be forgotten.
  EXPECT_EQ(post(initial()).status, 202);
  EXPECT_EQ(storedRows(), 0);
}

TEST_F(DeletionsEndToEndTest, RefusesWhatIsNotAnInstallationIdWith400NamingTheField) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  for (const std::string id :
       {"8343CC7A-8AD1-42D4-97D2-43452C0BDFA3", "8343cc7a-8ad1-42d4-97d2-43452c0bdfa", "",
        "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3 ", "../../etc/passwd",
        "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3' OR '1'='1"}) {
    const auto reply = remove(deletionOf(id));
    EXPECT_EQ(reply.status, 400) << id;
    EXPECT_NE(reply.body.find(R"("field":"/installation")"), std::string::npos) << reply.body;
  }
  for (const std::string body :
       {R"({"installation":8343})", R"({"installation":null})",
        R"({"installation":["8343cc7a-8ad1-42d4-97d2-43452c0bdfa3"]})", R"({})"}) {
    const auto reply = remove(body);
    EXPECT_EQ(reply.status, 400) << body;
    EXPECT_NE(reply.body.find(R"("field":"/installation")"), std::string::npos) << reply.body;
  }
  EXPECT_EQ(storedRows(), 1) << "nothing was deleted";
}

TEST_F(DeletionsEndToEndTest, RefusesMalformedBodiesWith400) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  const std::string id = kExampleId;
  const std::vector<std::string> bodies{
      "",
      "{\"installation\": ",
      "[\"" + id + "\"]",
      "\"" + id + "\"",
      // Invalid UTF-8 inside and outside the id, and a NUL.
      "{\"installation\":\"" + id + "\xff\"}",
      "{\"installation\":\"" + id + "\",\"x\xc3\x28\":1}",
      std::string("{\"installation\":\"") + id + std::string("\0\"}", 3),
      // A repeated member could name two installations.
      "{\"installation\":\"" + id + "\",\"installation\":\"b647de4d-e557-455a-a64f-feaecd55f53c\"}",
      // Another member.
      "{\"installation\":\"" + id + "\",\"reason\":\"gdpr\"}",
      std::string(100, '[') + std::string(100, ']'),
  };
  for (const auto& body : bodies) {
    EXPECT_EQ(remove(body).status, 400) << body;
  }
  EXPECT_EQ(storedRows(), 1) << "nothing was deleted";
}

TEST_F(DeletionsEndToEndTest, RefusesOversizedBodiesWith413) {
  start();
  // Declared: answered without reading the 10 MiB.
  EXPECT_EQ(request("POST", "/deletions", "", {{"Content-Length", "10485760"}}).status, 413);
  // Chunked: cut after 1 KiB, though far below max-body.
  const std::string padded =
      "{\"installation\":\"" + std::string(kExampleId) + "\"" + std::string(2000, ' ') + "}";
  EXPECT_EQ(remove(padded, {{"Transfer-Encoding", "chunked"}}).status, 413);
}

TEST_F(DeletionsEndToEndTest, RefusesANonJsonContentTypeAndABadIdempotencyKey) {
  start();
  EXPECT_EQ(remove(deletionOf(kExampleId), {{"Content-Type", "text/plain"}}).status, 415);
  EXPECT_EQ(remove(deletionOf(kExampleId), {{"Idempotency-Key", std::string(201, 'k')}}).status,
            400);
  EXPECT_EQ(remove(deletionOf(kExampleId), {{"Idempotency-Key", "with space"}}).status, 400);
}

TEST_F(DeletionsEndToEndTest, CountsAgainstTheRateLimitOfItsSender) {
  start("rate-limit: { per-minute: 1, burst: 2 }\n");
  EXPECT_EQ(remove(deletionOf(kExampleId)).status, 202);
  EXPECT_EQ(post("{}").status, 400);
  const auto limited = remove(deletionOf(kExampleId));
  EXPECT_EQ(limited.status, 429);
  EXPECT_TRUE(limited.headers.contains("Retry-After"));
}

}  // namespace
}  // namespace telemetry::collector::test
