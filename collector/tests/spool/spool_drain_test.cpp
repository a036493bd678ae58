#include "spool/spool_drain.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "spool/segment_reader.hpp"
#include "spool/spool_record.hpp"
#include "spool/spool_test_support.hpp"
#include "spool/spool_writer.hpp"

namespace telemetry::collector {
namespace {

using namespace std::chrono_literals;

class SpoolDrainTest : public ::testing::Test {
 protected:
  test::ScratchFolder scratch;
  std::filesystem::path spoolPath = scratch.path() / "spool";
  std::unique_ptr<ReportStore> store;

  void SetUp() override {
    ReportStore::Options options;
    options.location = (scratch.path() / "collector.db").string();
    store = std::make_unique<ReportStore>(options);
  }

  // Spools `count` reports (installations first..first+count-1) the way the collector does.
  void spool(int first, int count, std::uint64_t segment, std::uint64_t segmentSize = 1 << 20) {
    SpoolDirectory directory(spoolPath);
    SegmentLedger ledger;
    SpoolWriter writer(directory, ledger, segment, {1ULL << 30, segmentSize});
    for (int n = first; n < first + count; ++n) {
      std::promise<void> done;
      writer.append(SpoolRecord::encode(test::spooledReport(n, "key-" + std::to_string(n))),
                    [&done](std::exception_ptr) { done.set_value(); });
      done.get_future().get();
    }
  }

  // Recovers the spool as a start does and drains it until it is empty or `patience` passed.
  std::size_t drainAll(std::chrono::milliseconds patience = 60s) {
    SpoolDirectory directory(spoolPath);
    SegmentLedger ledger;
    for (const auto& found : directory.recover([](std::uint64_t, std::string_view) {})) {
      ledger.add({found.segment, found.length, true});
    }
    std::atomic<std::size_t> stored{0};
    SpoolDrain drain(directory, ledger, *store, {100},
                     [&](const std::vector<StoreOutcome>& outcomes) {
                       for (auto o : outcomes) stored += o == StoreOutcome::stored ? 1 : 0;
                     });
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (ledger.count() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(10ms);
    }
    return stored;
  }
};

TEST_F(SpoolDrainTest, StoresEverySpooledReportAndDeletesTheSegments) {
  spool(0, 250, 1, 4096);  // several segments
  ASSERT_GT(SpoolDirectory(spoolPath).segments().size(), 2u);
  EXPECT_EQ(drainAll(), 250u);
  EXPECT_EQ(store->reportCount(), 250);
  EXPECT_TRUE(SpoolDirectory(spoolPath).segments().empty());
}

TEST_F(SpoolDrainTest, ReplayingASegmentTwiceStoresNothingTwice) {
  spool(0, 120, 1);
  const auto file = SpoolDirectory(spoolPath).segmentPath(1);
  const std::string copy = test::readFile(file);
  EXPECT_EQ(drainAll(), 120u);
  // The same segment again, as after a crash between the commit and the deletion.
  std::ofstream(file, std::ios::binary) << copy;
  EXPECT_EQ(drainAll(), 0u);
  EXPECT_EQ(store->reportCount(), 120);
}

// The oldest unstored report's time reads 0 as soon as the last batch is committed, not
// only once the drain's thread comes round again (/metrics read it in between: a flaky test).
TEST_F(SpoolDrainTest, ShowsNoUnstoredReportOnceTheLastBatchIsCommitted) {
  spool(0, 5, 1);
  SpoolDirectory directory(spoolPath);
  SegmentLedger ledger;
  for (const auto& found : directory.recover([](std::uint64_t, std::string_view) {})) {
    ledger.add({found.segment, found.length, true});
  }
  std::atomic<SpoolDrain*> self{nullptr};
  std::mutex mutex;
  std::vector<std::int64_t> seen;  // oldestUnstoredAt() after each commit
  std::size_t drained = 0;
  std::promise<void> done;
  SpoolDrain drain(directory, ledger, *store, {2}, [&](const std::vector<StoreOutcome>& outcomes) {
    while (self.load() == nullptr) std::this_thread::yield();
    std::lock_guard lock(mutex);
    seen.push_back(self.load()->oldestUnstoredAt());
    if ((drained += outcomes.size()) == 5) done.set_value();
  });
  self = &drain;
  ASSERT_EQ(done.get_future().wait_for(60s), std::future_status::ready);
  std::lock_guard lock(mutex);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1000, 1000, 0}));
}

TEST_F(SpoolDrainTest, KeepsTheSegmentWhileTheStoreRefusesAndCatchesUpAfter) {
  spool(0, 30, 1);
  // The table moved away under the store: every transaction of the drain fails at once.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((scratch.path() / "collector.db").c_str(), &other), SQLITE_OK);
  sqlite3_busy_timeout(other, 30000);  // the drain's retries hold the write lock at times
  ASSERT_EQ(sqlite3_exec(other, "ALTER TABLE reports RENAME TO away", nullptr, nullptr, nullptr),
            SQLITE_OK);

  SpoolDirectory directory(spoolPath);
  SegmentLedger ledger;
  for (const auto& found : directory.recover([](std::uint64_t, std::string_view) {})) {
    ledger.add({found.segment, found.length, true});
  }
  SpoolDrain drain(directory, ledger, *store, {100, 10ms, 50ms}, nullptr);
  while (drain.failure().empty()) std::this_thread::sleep_for(10ms);
  EXPECT_NE(drain.oldestUnstoredAt(), 0);
  EXPECT_EQ(drain.unstoredBytes(), ledger.bytes() - SegmentReader::kHeader.size());
  EXPECT_EQ(directory.segments(), std::vector<std::uint64_t>{1});

  ASSERT_EQ(sqlite3_exec(other, "ALTER TABLE away RENAME TO reports", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(other);
  while (ledger.count() > 0) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(drain.failure().empty());
  EXPECT_EQ(drain.unstoredBytes(), 0u);
  EXPECT_EQ(drain.drained(), 30u);
  EXPECT_EQ(store->reportCount(), 30);
}

// A report the store can never take must not hold up the ones behind it (before the spool it
// got a 500; now it was answered 202 and is kept aside for the operator).
TEST_F(SpoolDrainTest, SetsAsideAReportTheStoreRefusesAndStoresTheOthers) {
  spool(0, 5, 1);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open((scratch.path() / "collector.db").c_str(), &other), SQLITE_OK);
  sqlite3_busy_timeout(other, 30000);
  const std::string refused = test::spooledReport(2).installation;
  ASSERT_EQ(
      sqlite3_exec(other,
                   ("CREATE TRIGGER refuse BEFORE INSERT ON reports WHEN NEW.installation = '" +
                    refused + "' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")
                       .c_str(),
                   nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(other);

  SpoolDirectory directory(spoolPath);
  SegmentLedger ledger;
  for (const auto& found : directory.recover([](std::uint64_t, std::string_view) {})) {
    ledger.add({found.segment, found.length, true});
  }
  {
    SpoolDrain drain(directory, ledger, *store, {100, 10ms, 50ms}, nullptr);
    while (ledger.count() > 0) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(drain.refused(), 1u);
  }
  EXPECT_EQ(store->reportCount(), 4);
  std::vector<std::string> kept;
  const std::string file = test::readFile(spoolPath / "refused.records");
  SegmentReader reader(file, 0, 0);
  while (auto payload = reader.next()) kept.push_back(SpoolRecord::decode(*payload).installation);
  EXPECT_EQ(kept, std::vector<std::string>{refused});
}

TEST_F(SpoolDrainTest, SetsADamagedSegmentAside) {
  spool(0, 10, 1);
  const auto file = SpoolDirectory(spoolPath).segmentPath(1);
  std::string bytes = test::readFile(file);
  // Damage the sixth record's payload: the first five are stored, the file is kept aside.
  const std::size_t frame = (bytes.size() - SegmentReader::kHeader.size()) / 10;
  bytes[SegmentReader::kHeader.size() + 5 * frame + 20] ^= 0x55;
  std::ofstream(file, std::ios::binary) << bytes;
  {
    SpoolDirectory directory(spoolPath);
    SegmentLedger ledger;
    // Not recovered first: the damage must be found by the drain itself.
    ledger.add({1, bytes.size(), true});
    SpoolDrain drain(directory, ledger, *store, {100}, nullptr);
    while (ledger.count() > 0) std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(store->reportCount(), 5);
  EXPECT_TRUE(std::filesystem::exists(file.string() + ".damaged"));
}

}  // namespace
}  // namespace telemetry::collector
