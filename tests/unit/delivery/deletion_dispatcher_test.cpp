// Pending deletion requests against a real HTTPS receiver: where they go, what they carry,
// and that only an acknowledgement removes one from the state store.
#include <gtest/gtest.h>

#include "delivery/deletion_dispatcher.hpp"
#include "state/audit_log.hpp"
#include "state/state_store.hpp"
#include "telemetry/test/temp_directory.hpp"
#include "telemetry/test/test_receiver.hpp"

namespace {

using telemetry::AuditLog;
using telemetry::DeletionDispatcher;
using telemetry::deletionEndpoint;
using telemetry::StateStore;
using telemetry::TelemetryConfig;
using telemetry::test::TestReceiver;

TEST(DeletionEndpointTest, ReplacesTheLastPathSegmentOfTheEndpoint) {
  EXPECT_EQ(deletionEndpoint("https://telemetry.example.org/pings"),
            "https://telemetry.example.org/deletions");
  EXPECT_EQ(deletionEndpoint("https://example.org:8443/api/v1/pings?tenant=a#x"),
            "https://example.org:8443/api/v1/deletions");
  EXPECT_EQ(deletionEndpoint("https://example.org"), "https://example.org/deletions");
  EXPECT_EQ(deletionEndpoint("https://example.org/"), "https://example.org/deletions");
}

class DeletionDispatcherTest : public ::testing::Test {
 protected:
  telemetry::test::TempDirectory dir_;
  TestReceiver receiver_;
  StateStore state_{(dir_.path() / "state.db").string(), true};
  AuditLog audit_{dir_.path() / "sent.jsonl"};

  TelemetryConfig config() {
    TelemetryConfig c;
    c.endpoint = receiver_.url();
    c.caFile = TestReceiver::caFile();
    c.requestRetries = 0;
    return c;
  }
};

TEST_F(DeletionDispatcherTest, SendsNothingWhenNothingIsPending) {
  DeletionDispatcher dispatcher(config(), state_, audit_);
  EXPECT_EQ(dispatcher.sendPending().pending, 0);
  EXPECT_TRUE(receiver_.requests().empty());
}

TEST_F(DeletionDispatcherTest, KeepsARefusedRequestPendingWithItsKey) {
  const std::string old = state_.requestDeletion(StateStore::Clock::now());
  DeletionDispatcher dispatcher(config(), state_, audit_);
  receiver_.script({404});  // a collector without /deletions
  auto round = dispatcher.sendPending();
  EXPECT_EQ(round.pending, 1);
  EXPECT_EQ(round.acknowledged, 0);
  EXPECT_NE(round.lastError.find("HTTP 404"), std::string::npos) << round.lastError;
  ASSERT_EQ(state_.pendingDeletions().size(), 1u);
  EXPECT_NE(state_.pendingDeletions()[0].lastError.find("HTTP 404"), std::string::npos);

  round = dispatcher.sendPending();
  EXPECT_EQ(round.acknowledged, 1);
  EXPECT_TRUE(state_.pendingDeletions().empty());
  const auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const auto& request : requests) {
    EXPECT_EQ(request.path, "/deletions");
    EXPECT_EQ(request.body, R"({"installation":")" + old + R"("})");
    EXPECT_EQ(request.headers.at("Content-Type"), "application/json");
  }
  EXPECT_EQ(requests[0].headers.at("Idempotency-Key"), requests[1].headers.at("Idempotency-Key"));
}

}  // namespace
