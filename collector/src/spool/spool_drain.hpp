// Moves spooled reports into the store behind the answer, and deletes what is stored.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "spool/segment_ledger.hpp"
#include "spool/spool_directory.hpp"
#include "store/report_store.hpp"

namespace telemetry::collector {

/// One thread reads the oldest segment from where it left off and hands up to `batch`
/// reports at a time to the store, as one transaction; it moves on only once they are
/// committed, and deletes a sealed segment once all of it is. Storing is idempotent (the
/// store's duplicate rules), so a segment read twice, after a crash, stores nothing twice.
/// A failed transaction is retried with a doubling pause, so an unreachable database only
/// makes the spool grow; a report the store refuses while it stores the others of its batch
/// is set aside, so it cannot block the reports behind it.
class SpoolDrain {
 public:
  struct Options {
    std::size_t batch = 4096;  // reports per store transaction
    std::chrono::milliseconds firstRetry{100};
    std::chrono::milliseconds maxRetry{5000};
  };
  /// Told each committed batch's outcomes, on the drain's thread; may be empty.
  using Committed = std::function<void(const std::vector<StoreOutcome>& outcomes)>;

  SpoolDrain(SpoolDirectory& directory, SegmentLedger& ledger, ReportStore& store, Options options,
             Committed committed);
  /// Stores what the spool holds and stops; at the first failed transaction it stops at once,
  /// leaving the rest for the next start.
  ~SpoolDrain();
  SpoolDrain(const SpoolDrain&) = delete;
  SpoolDrain& operator=(const SpoolDrain&) = delete;

  /// Why the last transaction failed; empty once one succeeded.
  std::string failure() const;
  /// When the oldest report not yet in the store was received (epoch seconds); 0: none.
  std::int64_t oldestUnstoredAt() const;
  /// Spooled bytes the drain has not stored yet; 0 once every synced report is stored.
  std::uint64_t unstoredBytes() const;
  /// Reports handed to the store and committed (duplicates included), or refused.
  std::uint64_t drained() const { return drained_.load(); }
  /// Reports the store refused while it stored others: set aside in the spool's
  /// refused.records (frames as in a segment, numbered 0), never retried.
  std::uint64_t refused() const { return refused_.load(); }

 private:
  void run();
  /// Stores the next batch of `segment` from position_; false when the store failed.
  bool drainSome(const SegmentLedger::Segment& segment);
  void finishSegment(const SegmentLedger::Segment& segment);
  /// One transaction; throws what the store threw.
  std::vector<StoreOutcome> store(std::vector<ReceivedReport> reports);
  /// The `count` reports at position_, one transaction each; a report the store refuses
  /// while it stores others of them is set aside. False when it stored none.
  bool storeOneByOne(std::uint64_t segment, std::size_t count, std::vector<StoreOutcome>& outcomes);
  void setAside(std::string_view payload, const std::string& installation,
                const std::string& reason);
  /// Waits up to `pause` unless stopping; true when stopping.
  bool pauseUnlessStopping(std::chrono::milliseconds pause);
  bool stopping() const;

  SpoolDirectory& directory_;
  SegmentLedger& ledger_;
  ReportStore& store_;
  Options options_;
  Committed committed_;

  // The drain's thread only.
  int fd_ = -1;
  std::uint64_t segment_ = 0;
  std::uint64_t position_ = 0;
  bool damaged_ = false;  // the open segment has a frame that cannot be read
  std::string buffer_;

  mutable std::mutex mutex_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::string failure_;
  std::atomic<std::int64_t> oldestUnstoredAt_{0};
  std::atomic<std::uint64_t> drained_{0};
  std::atomic<std::uint64_t> refused_{0};
  // Where the drain stands, for unstoredBytes(): position_ in segment_, published.
  std::atomic<std::uint64_t> readSegment_{0};
  std::atomic<std::uint64_t> readPosition_{0};
  std::thread thread_;
};

}  // namespace telemetry::collector
