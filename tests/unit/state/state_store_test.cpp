// The state store against both of its backends: an SQLite file and a real PostgreSQL 15
// (the `postgres` ctest fixture), through the one code path the host uses.
#include <atomic>
#include <regex>
#include <set>
#include <thread>

#include <Poco/Data/Session.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "state/state_store.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/test/captured_log.hpp"
#include "telemetry/test/store_location.hpp"
#include "telemetry/test/temp_directory.hpp"
#include "telemetry/usage_count.hpp"

namespace {

using namespace std::chrono_literals;
using namespace Poco::Data::Keywords;
using telemetry::LicenseKeySource;
using telemetry::SendRecord;
using telemetry::StateStore;
using telemetry::UsageSnapshot;
using telemetry::test::StoreLocation;
using ::testing::HasSubstr;

class StateStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  telemetry::test::TempDirectory dir_;
  StoreLocation store_{GetParam(), dir_.path()};
  const std::string& location() { return store_.location(); }
};

const auto t0 = StateStore::TimePoint(std::chrono::sys_days(std::chrono::year(2026) / 11 / 25));

TEST_P(StateStoreTest, CreatesOneRandomInstallationIdThatNeverChanges) {
  std::string id = StateStore(location(), false).installationId();
  EXPECT_TRUE(std::regex_match(
      id, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << id;
  EXPECT_EQ(StateStore(location(), true).installationId(), id);
}

TEST_P(StateStoreTest, InitialOptInCountsOnlyWhenTheStoreIsCreated) {
  EXPECT_TRUE(StateStore(location(), true).telemetryEnabled());
  EXPECT_TRUE(StateStore(location(), false).telemetryEnabled());
  StateStore(location(), false).setTelemetryEnabled(false);
  EXPECT_FALSE(StateStore(location(), true).telemetryEnabled());
}

TEST_P(StateStoreTest, OptInIsUnsetUntilSomeoneDecides) {
  EXPECT_EQ(StateStore(location(), std::nullopt).optIn(), std::nullopt);
  EXPECT_FALSE(StateStore(location(), std::nullopt).telemetryEnabled());
  EXPECT_EQ(StateStore(location(), true).optIn(), std::nullopt)
      << "initialize counts only when the store is created";
  StateStore(location(), std::nullopt).setTelemetryEnabled(false);
  EXPECT_EQ(StateStore(location(), std::nullopt).optIn(), std::optional<bool>(false))
      << "disabling is a decision too";
  StateStore(location(), std::nullopt).setTelemetryEnabled(true);
  EXPECT_EQ(StateStore(location(), std::nullopt).optIn(), std::optional<bool>(true));
}

TEST_P(StateStoreTest, InitializeIsADecision) {
  EXPECT_EQ(StateStore(location(), false).optIn(), std::optional<bool>(false));
}

// Camunda logs the opt-in it stored when it creates its telemetry data; so do we, once.
TEST_P(StateStoreTest, CreatingTheStoreLogsTheOptInItStoredAtDebug) {
  telemetry::test::CapturedLog log;
  const std::pair<std::optional<bool>, std::string> cases[] = {
      {true, "telemetry enabled (initialize)"},
      {false, "telemetry disabled (initialize)"},
      {std::nullopt, "telemetry not decided (initialize)"}};
  int n = 0;
  for (const auto& [initialize, logged] : cases) {
    StoreLocation fresh{GetParam(), dir_.path() / std::to_string(n++)};
    std::string id = StateStore(fresh.location(), initialize).installationId();
    EXPECT_EQ(log.count("created the state store"), static_cast<std::size_t>(n));
    EXPECT_EQ(log.count("for installation " + id + ": " + logged), 1u) << logged;
    StateStore(fresh.location(), !initialize.value_or(false));
    EXPECT_EQ(log.count("created the state store"), static_cast<std::size_t>(n))
        << "opening an existing store creates nothing";
  }
}

TEST_P(StateStoreTest, AStoreFromBeforeTheUnsetStateKeepsItsSwitchAsADecision) {
  StateStore(location(), std::nullopt);
  {
    // What a store of the previous release looks like: no opt_in_decided, the migration
    // that adds it and the later ones not applied.
    auto db = telemetry::storage::openDatabase(location());
    *db.session << "ALTER TABLE installation DROP COLUMN opt_in_decided", now;
    *db.session << "ALTER TABLE installation DROP COLUMN opt_outs", now;
    *db.session << "DROP TABLE pending_deletions", now;
    *db.session << "ALTER TABLE installation DROP COLUMN initial_waived_at", now;
    *db.session << "DELETE FROM schema_migrations WHERE version >= 5", now;
  }
  EXPECT_EQ(StateStore(location(), std::nullopt).optIn(), std::optional<bool>(false));
}

TEST_P(StateStoreTest, ConcurrentFirstRunsAgreeOnOneInstallation) {
  std::vector<std::string> ids(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back([&, i] { ids[i] = StateStore(location(), i % 2 == 0).installationId(); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1u);
}

TEST_P(StateStoreTest, InitialReportIsClaimedByOneSenderAtATime) {
  StateStore a(location(), false), b(location(), false);
  EXPECT_FALSE(a.initialReportSentAt());
  EXPECT_TRUE(a.claimInitialReport(t0, 10min));
  EXPECT_FALSE(b.claimInitialReport(t0 + 1min, 10min)) << "claimed by a";
  a.finishInitialReport(std::nullopt);  // failed: released
  EXPECT_TRUE(b.claimInitialReport(t0 + 2min, 10min));
  b.finishInitialReport(t0 + 3min);
  EXPECT_EQ(a.initialReportSentAt(), t0 + 3min);
  EXPECT_FALSE(a.claimInitialReport(t0 + 1h, 10min)) << "delivered: never again";
}

TEST_P(StateStoreTest, AnAbandonedClaimExpires) {
  StateStore a(location(), false);
  EXPECT_TRUE(a.claimInitialReport(t0, 10min));
  EXPECT_FALSE(a.claimInitialReport(t0 + 9min, 10min));
  EXPECT_TRUE(a.claimInitialReport(t0 + 11min, 10min));
}

TEST_P(StateStoreTest, ConcurrentClaimsHaveExactlyOneWinner) {
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      StateStore store(location(), false);
      if (store.claimInitialReport(t0, 10min)) ++winners;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(winners.load(), 1);
}

TEST_P(StateStoreTest, KeepsAndRemovesTheLicenseKeyWithWhereItWasSet) {
  StateStore store(location(), false);
  EXPECT_FALSE(store.licenseKey());
  store.setLicenseKey("customer=it's me;expiryDate=2030-01-01", LicenseKeySource::management);
  auto stored = StateStore(location(), false).licenseKey();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->raw, ";customer=it's me;expiryDate=2030-01-01");
  EXPECT_EQ(stored->source, LicenseKeySource::management);
  store.setLicenseKey("customer=admin;expiryDate=2031-01-01", LicenseKeySource::adminWebapp);
  stored = store.licenseKey();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->raw, ";customer=admin;expiryDate=2031-01-01");
  EXPECT_EQ(stored->source, LicenseKeySource::adminWebapp);
  store.clearLicenseKey();
  EXPECT_FALSE(store.licenseKey());
}

const std::string kSignature =
    "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuTWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu+/Ab==";

// Everything in the installation row, as text: what the file holds about the key.
std::string installationRow(const std::string& location) {
  auto db = telemetry::storage::openDatabase(location);
  Poco::Nullable<std::string> key;
  std::string source;
  *db.session << "SELECT license_key, license_key_source FROM installation WHERE id = 1", into(key),
      into(source), now;
  return (key.isNull() ? "NULL" : key.value()) + "|" + source;
}

TEST_P(StateStoreTest, StoresNoLicenseSignatureInAnyLayout) {
  StateStore store(location(), false);
  for (const std::string& key : {kSignature + ";customer=ACME;expiryDate=2030-01-31",
                                 "customer=ACME;expiryDate=2030-01-31\n" + kSignature,
                                 "-----BEGIN CAMUNDA LICENSE KEY-----\n" +
                                     kSignature.substr(0, 40) + "\n" + kSignature.substr(40) +
                                     "\ncustomer=ACME;expiryDate=2030-01-31\n"
                                     "-----END CAMUNDA LICENSE KEY-----\n"}) {
    store.setLicenseKey(key, LicenseKeySource::adminWebapp);
    EXPECT_EQ(installationRow(location()), ";customer=ACME;expiryDate=2030-01-31|admin-webapp")
        << key;
  }
}

TEST_P(StateStoreTest, RemovesTheSignatureOfAKeyStoredByAnOlderReleaseOnOpen) {
  StateStore(location(), false);
  {
    auto db = telemetry::storage::openDatabase(location());
    *db.session << db.dialect.sql(
        "UPDATE installation SET license_key = ?, license_key_source = 'management'"),
        bind(kSignature + ";customer=ACME;expiryDate=2030-01-31"), now;
  }
  StateStore reopened(location(), false);
  EXPECT_EQ(installationRow(location()), ";customer=ACME;expiryDate=2030-01-31|management");
  EXPECT_EQ(reopened.licenseKey()->raw, ";customer=ACME;expiryDate=2030-01-31");
}

TEST_P(StateStoreTest, TheSameKeySetAgainStaysStructuredAndAnotherKeyDoesNot) {
  StateStore store(location(), false);
  const std::string key = kSignature + ";customer=ACME;expiryDate=2030-01-31";
  EXPECT_EQ(store.setLicenseKey(key, LicenseKeySource::adminWebapp), LicenseKeySource::adminWebapp);
  // `telemetry license set` with the same key, armoured this time: still the same key.
  EXPECT_EQ(store.setLicenseKey("--- BEGIN LICENSE ---\n" + key + "\n--- END LICENSE ---\n",
                                LicenseKeySource::management),
            LicenseKeySource::adminWebapp);
  EXPECT_EQ(store.licenseKey()->source, LicenseKeySource::adminWebapp);
  EXPECT_EQ(store.setLicenseKey(kSignature + ";customer=ACME;expiryDate=2031-01-31",
                                LicenseKeySource::management),
            LicenseKeySource::management)
      << "another key";
  EXPECT_EQ(store.setLicenseKey(key, LicenseKeySource::management), LicenseKeySource::management)
      << "set through the CLI before: raw";
}

TEST_P(StateStoreTest, RemembersTheLastSendAndTheLastDeliveredFullReport) {
  StateStore store(location(), false);
  EXPECT_FALSE(store.lastSend());
  store.recordSend({t0, "full", 202, ""});
  store.recordSend({t0 + 1h, "full", 500, "HTTP 500"});
  store.recordSend({t0 + 2h, "initial", 202, ""});
  auto last = StateStore(location(), false).lastSend();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->at, t0 + 2h);
  EXPECT_EQ(last->kind, "initial");
  EXPECT_EQ(last->httpStatus, 202);
  EXPECT_EQ(store.lastFullReportDelivered(), t0) << "failures and initial reports don't count";
}

TEST_P(StateStoreTest, CountsStayUntilDeliveredAndLaterIncrementsSurviveTheSubtraction) {
  StateStore store(location(), false);
  UsageSnapshot counted;
  counted.commands = {{"StartProcessInstanceCmd", 5}, {"FetchExternalTasksCmd", 2}};
  counted.metrics = {{"root-process-instance-start", 7}, {"unique-task-workers", 99}};
  store.addUsage(counted, {}, t0);
  store.addUsage(counted, {}, t0);
  UsageSnapshot pending = store.pendingUsage();
  EXPECT_EQ(pending.commands.at("StartProcessInstanceCmd"), 10u);
  EXPECT_EQ(pending.metrics.at("root-process-instance-start"), 14u);
  EXPECT_FALSE(pending.metrics.contains("unique-task-workers")) << "a window, not a count";

  store.addUsage(counted, {}, t0);  // counted while the report with `pending` was in flight
  store.subtractUsage(pending);
  UsageSnapshot left = StateStore(location(), false).pendingUsage();
  EXPECT_EQ(left.commands.at("StartProcessInstanceCmd"), 5u);
  EXPECT_EQ(left.commands.at("FetchExternalTasksCmd"), 2u);
  EXPECT_EQ(left.metrics.at("root-process-instance-start"), 7u);

  store.subtractUsage(left);
  EXPECT_TRUE(store.pendingUsage().commands.empty());
  store.addUsage(counted, {}, t0);
  store.clearPendingUsage();
  EXPECT_TRUE(store.pendingUsage().metrics.empty());
}

TEST_P(StateStoreTest, ADeletionRequestDisablesForgetsTheCountsAndGivesANewId) {
  StateStore store(location(), true);
  const std::string old = store.installationId();
  UsageSnapshot counted;
  counted.commands = {{"StartProcessInstanceCmd", 5}};
  store.addUsage(counted, {"worker-1"}, t0);
  store.claimInitialReport(t0, 10min);
  store.finishInitialReport(t0);
  const auto optOuts = store.optInSwitch().optOuts;

  EXPECT_EQ(store.requestDeletion(t0 + 1h), old);
  StateStore other(location(), true);  // what another process sees
  EXPECT_NE(other.installationId(), old);
  EXPECT_EQ(other.optIn(), std::optional<bool>(false));
  EXPECT_EQ(other.optInSwitch().optOuts, optOuts + 1);
  EXPECT_TRUE(other.pendingUsage().commands.empty());
  EXPECT_EQ(other.uniqueTaskWorkers(t0 + 1h), 0u) << "the old id's workers are not counted";
  EXPECT_EQ(other.initialReportSentAt(), t0) << "the one initial report went, under the old id";
  const auto pending = other.pendingDeletions();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].installationId, old);
  EXPECT_EQ(pending[0].requestedAt, t0 + 1h);
  EXPECT_EQ(pending[0].idempotencyKey.size(), 36u);
  EXPECT_FALSE(pending[0].lastTry);
}

TEST_P(StateStoreTest, APendingDeletionKeepsItsKeyUntilAcknowledged) {
  StateStore store(location(), false);
  const std::string old = store.requestDeletion(t0);
  const std::string key = store.pendingDeletions().at(0).idempotencyKey;
  store.finishDeletion(old, t0 + 1min, "connect: connection refused");
  auto pending = StateStore(location(), false).pendingDeletions();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].idempotencyKey, key);
  EXPECT_EQ(pending[0].lastTry, t0 + 1min);
  EXPECT_EQ(pending[0].lastError, "connect: connection refused");

  // A second deletion before the first was acknowledged: both go, oldest first.
  const std::string second = store.requestDeletion(t0 + 2min);
  pending = store.pendingDeletions();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].installationId, old);
  EXPECT_EQ(pending[1].installationId, second);
  store.finishDeletion(old, t0 + 3min, std::nullopt);
  store.finishDeletion(second, t0 + 3min, std::nullopt);
  EXPECT_TRUE(store.pendingDeletions().empty());
}

TEST_P(StateStoreTest, ADeletionBeforeTheInitialReportWaivesIt) {
  StateStore store(location(), std::nullopt);
  EXPECT_FALSE(store.initialReportSettled());
  store.requestDeletion(t0);
  EXPECT_TRUE(store.initialReportSettled());
  EXPECT_FALSE(store.initialReportSentAt()) << "not sent: waived";
  EXPECT_FALSE(store.claimInitialReport(t0 + 1h, 10min)) << "the new id sends none";
  store.setTelemetryEnabled(true);
  EXPECT_FALSE(store.claimInitialReport(t0 + 2h, 10min)) << "not even once enabled again";
}

TEST_P(StateStoreTest, SumsStopAt2To63Minus1NeitherRealNorNegative) {
  // Two separate adds, as two `telemetry usage` calls make: SQLite turned the sum into a
  // REAL, PostgreSQL refused it.
  constexpr std::uint64_t kMax = telemetry::kMaxUsageCount;
  StateStore store(location(), false);
  UsageSnapshot counted;
  counted.commands = {{"A", kMax}};
  counted.metrics = {{"activity-instance-start", kMax}};
  store.addUsage(counted, {}, t0);
  store.addUsage(counted, {}, t0);
  counted.commands = {{"A", 1}};
  store.addUsage(counted, {}, t0);
  UsageSnapshot pending = store.pendingUsage();
  EXPECT_EQ(pending.commands.at("A"), kMax);
  EXPECT_EQ(pending.metrics.at("activity-instance-start"), kMax);
  if (GetParam() == "sqlite") {
    Poco::Data::Session session("SQLite", location());
    std::string type;
    session << "SELECT typeof(count) FROM pending_usage WHERE name = 'A'", into(type), now;
    EXPECT_EQ(type, "integer");
  }
  store.subtractUsage(pending);
  EXPECT_TRUE(store.pendingUsage().commands.empty());
}

TEST_P(StateStoreTest, UniqueTaskWorkersAreTheDistinctOnesOfThePast24Hours) {
  StateStore store(location(), false);
  store.addUsage({}, {"old-worker"}, t0 - 25h);
  store.addUsage({}, {"w1", "w2"}, t0 - 23h);
  store.addUsage({}, {"w1", "w3"}, t0 - 1h);
  EXPECT_EQ(store.uniqueTaskWorkers(t0), 3u);
  EXPECT_EQ(store.uniqueTaskWorkers(t0 + 2h), 2u) << "w2 was last seen 25 h before";
  store.addUsage({}, {"old-worker"}, t0 + 2h);
  EXPECT_EQ(StateStore(location(), false).uniqueTaskWorkers(t0 + 2h), 3u);
}

TEST_P(StateStoreTest, BeyondTheExactLimitUniqueWorkersAreEstimated) {
  StateStore store(location(), false, 100);
  std::vector<std::string> batch;
  for (int i = 0; i < 50; ++i) batch.push_back("worker-" + std::to_string(i));
  store.addUsage({}, batch, t0 - 2h);
  EXPECT_EQ(store.uniqueTaskWorkers(t0), 50u) << "under the limit: exact";
  for (int round = 0; round < 10; ++round) {
    batch.clear();
    for (int i = 0; i < 100; ++i) batch.push_back("worker-" + std::to_string(round * 100 + i));
    store.addUsage({}, batch, t0 - 1h);
  }
  const double estimate = static_cast<double>(store.uniqueTaskWorkers(t0));
  EXPECT_NEAR(estimate, 1000.0, 50.0) << "1,000 distinct, 100 kept exactly";
  EXPECT_EQ(store.uniqueTaskWorkers(t0 + 26h), 0u) << "the window moved past all of them";
}

// Found by the state_store fuzz target: a time beyond the clock's range (a damaged or
// hand-edited row) overflowed when read back.
TEST_P(StateStoreTest, ATimeBeyondTheClocksRangeReadsAsTheFarthestItHolds) {
  StateStore store(location(), false);
  {
    auto db = telemetry::storage::openDatabase(location());
    *db.session << "UPDATE installation SET last_send_at = 9223372036854775807,"
                   " last_full_delivered_at = -9223372036854775807 WHERE id = 1",
        now;
  }
  auto last = store.lastSend();
  ASSERT_TRUE(last);
  EXPECT_GT(last->at, t0 + std::chrono::years(200));
  auto delivered = store.lastFullReportDelivered();
  ASSERT_TRUE(delivered);
  EXPECT_LT(*delivered, t0 - std::chrono::years(200));
}

TEST_P(StateStoreTest, RefusesAStoreWrittenByANewerRelease) {
  StateStore(location(), false);
  {
    auto db = telemetry::storage::openDatabase(location());
    *db.session << "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)", now;
  }
  try {
    StateStore store(location(), false);
    FAIL() << "opened a newer store";
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("schema version 99"));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, StateStoreTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
