// Appends reports to the spool's active segment, one write and one fdatasync per group.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "spool/segment_ledger.hpp"
#include "spool/spool_directory.hpp"

namespace telemetry::collector {

/// The spool holds its maximum size: the caller should answer 503 and let the sender retry.
class SpoolFull : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Group commit: appends queue up while the writer thread writes and syncs the previous
/// group, then go out together in one pwrite and one fdatasync, so many concurrent requests
/// share one sync. A completion runs only after its record is synced, so an acknowledged
/// record survives a crash.
class SpoolWriter {
 public:
  struct Options {
    std::uint64_t maxSize = 1ULL << 30;       // every segment on disk plus what waits
    std::uint64_t segmentSize = 16ULL << 20;  // a segment is sealed once it is this long
    // ... or once its first record is this old, so a quiet spool's stored reports are
    // deleted too and a crash replays little.
    std::chrono::milliseconds segmentAge{std::chrono::minutes(1)};
  };
  /// Told the failure, or nullptr once the record is durable, on the writer's thread: it
  /// must be quick and must not throw.
  using Completion = std::function<void(std::exception_ptr failure)>;

  /// Starts a new segment `firstSegment` (newer than any on disk) and the writer thread. A
  /// segment is at most an eighth of maxSize, so a full spool always has segments to delete.
  SpoolWriter(SpoolDirectory& directory, SegmentLedger& ledger, std::uint64_t firstSegment,
              Options options);
  /// Writes and syncs what waits, then stops.
  ~SpoolWriter();
  SpoolWriter(const SpoolWriter&) = delete;
  SpoolWriter& operator=(const SpoolWriter&) = delete;

  /// Queues one record (a SpoolRecord); throws SpoolFull when it would pass maxSize.
  void append(std::string payload, Completion done);
  /// Groups written (each one fdatasync).
  std::uint64_t syncs() const { return syncs_.load(std::memory_order_relaxed); }
  /// The last append was refused, and no segment was deleted since.
  bool full() const;

 private:
  void run();
  void writeGroup(const std::vector<std::string>& payloads);
  void startSegment(std::uint64_t number);
  void closeSegment();

  SpoolDirectory& directory_;
  SegmentLedger& ledger_;
  Options options_;

  std::mutex mutex_;
  std::condition_variable waiting_;
  std::vector<std::string> payloads_;
  std::vector<Completion> completions_;
  std::uint64_t waitingBytes_ = 0;
  bool stopping_ = false;

  // Writer thread only, after construction.
  int fd_ = -1;
  std::uint64_t segment_ = 0;
  std::uint64_t length_ = 0;
  std::chrono::steady_clock::time_point firstWrite_;  // of the active segment
  bool broken_ = false;  // a write or sync failed: the next group goes to a new segment
  std::string buffer_;

  std::atomic<std::uint64_t> syncs_{0};
  std::atomic<bool> full_{false};
  std::atomic<std::uint64_t> bytesWhenFull_{0};
  std::thread thread_;
};

}  // namespace telemetry::collector
