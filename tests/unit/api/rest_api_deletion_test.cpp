// The REST API's deletion on request (POST /telemetry/deletion-request), the twin of
// `telemetry disable --delete`: who may ask, what changes at once, what is sent later.
#include "rest_api_fixture.hpp"

namespace {

using namespace telemetry::test::rest_api;

constexpr const char* kPath = "/telemetry/deletion-request";

std::vector<std::string> pendingDeletions(const Object::Ptr& status) {
  std::vector<std::string> ids;
  auto list = status->getArray("pending-deletions");
  for (std::size_t i = 0; list && i < list->size(); ++i) {
    ids.push_back(list->getElement<std::string>(static_cast<unsigned>(i)));
  }
  return ids;
}

TEST_F(RestApiTest, DeletionRequestDisablesRenewsTheIdAndSendsTheRequestOnce) {
  const std::string old = StateStore(config_.state.path, false).installationId();
  Reply reply = call({"POST", kPath, kAdmin, "{}", "application/json"});
  ASSERT_EQ(reply.status, 202) << reply.body;
  EXPECT_EQ(reply.json()->getValue<std::string>("deletedInstallation"), old);
  const std::string fresh = reply.json()->getValue<std::string>("installation");
  EXPECT_NE(fresh, old);
  EXPECT_FALSE(storedEnabled());
  auto status = call({"GET", "/telemetry/status", kReader}).json();
  EXPECT_EQ(status->getValue<std::string>("installation"), fresh);
  EXPECT_EQ(pendingDeletions(status), std::vector<std::string>{old});
  EXPECT_TRUE(status->getValue<bool>("initial-report-waived"))
      << "requested before the initial report went out: the new id sends none";
  EXPECT_TRUE(receiver_.requests().empty()) << "the answer does not wait for the collector";

  // Without a running reporter (this fixture starts none) the embedding sends it.
  const auto outcome = host_->sendPendingDeletions();
  EXPECT_EQ(outcome.pending, 1);
  EXPECT_EQ(outcome.acknowledged, 1);
  ASSERT_EQ(receiver_.requests().size(), 1u);
  const auto sent = receiver_.requests().front();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.path, "/deletions");
  EXPECT_EQ(sent.body, R"({"installation":")" + old + R"("})");
  EXPECT_FALSE(sent.headers.at("Idempotency-Key").empty());
  EXPECT_TRUE(pendingDeletions(call({"GET", "/telemetry/status", kReader}).json()).empty());
  EXPECT_EQ(host_->sendPendingDeletions().pending, 0);
  EXPECT_EQ(receiver_.requests().size(), 1u) << "acknowledged: never sent again";
}

TEST_F(RestApiTest, DeletionRequestKeepsItsIdempotencyKeyAcrossRetries) {
  call({"POST", kPath, kAdmin, "{}", "application/json"});
  receiver_.script({404});  // an older collector without /deletions: not retried at once
  auto first = host_->sendPendingDeletions();
  EXPECT_EQ(first.acknowledged, 0);
  EXPECT_NE(first.error.find("HTTP 404"), std::string::npos) << first.error;
  EXPECT_EQ(host_->sendPendingDeletions().acknowledged, 1);
  const auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].headers.at("Idempotency-Key"), requests[1].headers.at("Idempotency-Key"));
}

TEST_F(RestApiTest, OnlyAdminsMayRequestTheDeletion) {
  const std::string id = StateStore(config_.state.path, false).installationId();
  EXPECT_EQ(call({"POST", kPath, std::nullopt, "{}", "application/json"}).status, 401);
  EXPECT_EQ(call({"POST", kPath, kReader, "{}", "application/json"}).status, 403);
  EXPECT_EQ(call({"POST", kPath, kProduct, "{}", "application/json"}).status, 403);
  EXPECT_EQ(StateStore(config_.state.path, false).installationId(), id);
  EXPECT_TRUE(storedEnabled());
}

TEST_F(RestApiTest, DeletionRequestRefusesABodyWithFieldsOrNotJson) {
  const std::string id = StateStore(config_.state.path, false).installationId();
  EXPECT_EQ(call({"POST", kPath, kAdmin, R"({"installation":"x"})", "application/json"}).status,
            400);
  EXPECT_EQ(call({"POST", kPath, kAdmin, "{}", "text/plain"}).status, 415);
  EXPECT_EQ(call({"POST", kPath, kAdmin, "{\"\xff\":1}", "application/json"}).status, 400);
  EXPECT_EQ(StateStore(config_.state.path, false).installationId(), id) << "nothing changed";
}

}  // namespace
