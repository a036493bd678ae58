// Durable storage of received reports (SQLite or PostgreSQL through Poco::Data).
#pragma once

#include <Poco/Data/Session.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "report/received_report.hpp"
#include "sql/sql_runner.hpp"
#include "store/collector_stats.hpp"
#include "store/report_writer.hpp"
#include "summary/summary_writer.hpp"
#include "telemetry/storage/sql_dialect.hpp"

namespace telemetry::collector {

/// What happened to a submitted report. KeyReused: its Idempotency-Key was stored with
/// another payload; it is not stored. InstallationDeleted: its installation was deleted on
/// request, so it is dropped. For a deletion: erased, or duplicate when the installation
/// was deleted before (its reports, if any arrived since, are deleted all the same).
enum class StoreOutcome { stored, duplicate, keyReused, installationDeleted, erased };

/// The writer's queue is full: the caller should answer 503 and let the sender retry.
class StoreOverloaded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The dashboard's store (`store-read`, or `store`) cannot be read now: answer 503.
class StoreUnreachable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One writer thread owns the write session and commits queued reports in batches (one
/// fsync for many reports); a submit's completion runs only after its batch committed, so
/// "202" always means "durable". Duplicates are decided inside the same transaction.
class ReportStore {
 public:
  struct Options {
    std::string location;  // SQLite file or postgresql:// URL
    // Where the dashboard reads (stats()): a read replica's postgresql:// URL (`store-read`);
    // empty: `location`. Connected on first use, so a replica down delays no start.
    std::string readLocation;
    std::chrono::seconds dedupWindow{std::chrono::hours(24)};
    std::size_t queueCapacity = 4096;
    std::size_t maxBatch = 256;
    // Told the size of every committed batch (reports and health probes), on the writer's
    // thread; may be empty.
    std::function<void(std::size_t jobs)> committed;
    // Reports received longer ago than this are deleted by the writer, a small chunk per
    // transaction and only when the queue is empty, so intake goes first; 0 keeps them.
    std::chrono::seconds retention{0};
    std::chrono::milliseconds retentionCheck{std::chrono::hours(1)};  // between two passes
    std::size_t retentionChunk = 1000;                                // reports per delete
    // Told how many reports each delete removed, on the writer's thread; may be empty.
    std::function<void(std::size_t reports)> expired;
  };

  /// Opens the store, applies migrations and starts the writer. Throws on failure.
  explicit ReportStore(Options options);
  /// Commits everything still queued, then stops the writer.
  ~ReportStore();
  ReportStore(const ReportStore&) = delete;
  ReportStore& operator=(const ReportStore&) = delete;

  /// Told the outcome, or the failure (outcome then meaningless), on the writer's thread:
  /// it must be quick and must not throw.
  using Completion = std::function<void(StoreOutcome outcome, std::exception_ptr failure)>;

  /// Queues a report; throws StoreOverloaded when the queue is full.
  void submit(ReceivedReport report, Completion done);
  /// The same, for callers that can wait.
  std::future<StoreOutcome> submit(ReceivedReport report);
  /// Queues the deletion of every report of `installation`, recorded as deleted at `at`
  /// (epoch seconds) so that its later reports are dropped, in the same order as reports;
  /// throws StoreOverloaded when the queue is full.
  void submitDeletion(std::string installation, std::int64_t at, Completion done);
  std::future<StoreOutcome> submitDeletion(std::string installation, std::int64_t at);

  /// Told each report's outcome in order, or the failure (outcomes then empty), on the
  /// writer's thread; the same rules as Completion.
  using BatchCompletion =
      std::function<void(std::vector<StoreOutcome> outcomes, std::exception_ptr failure)>;
  /// Queues reports to be committed together in one transaction of their own (the spool's
  /// drain); never refused for a full queue. Throws StoreOverloaded while shutting down.
  void submitAll(std::vector<ReceivedReport> reports, BatchCompletion done);
  /// Every stored report received at or after `since` (epoch seconds), oldest first, with
  /// the fields duplicate detection compares (no payload, no figures).
  void forEachRecent(std::int64_t since, const std::function<void(const ReceivedReport&)>& visit);
  /// True when a write transaction goes through the writer within `timeout`.
  bool writable(std::chrono::milliseconds timeout);
  /// Figures for the dashboard, read from the summaries on a session of their own on
  /// `readLocation`. Throws StoreUnreachable when a PostgreSQL store can't be read, even on a
  /// new connection.
  CollectorStats stats(const StatsFilter& filter = {});
  /// Number of stored reports (on `location`).
  std::int64_t reportCount();

 private:
  struct Deletion {
    std::string installation;
    std::int64_t at = 0;
  };
  struct Job {
    std::optional<ReceivedReport> report;  // no report, deletion or batch: a health probe
    std::optional<Deletion> deletion;
    Completion done;
    std::vector<ReceivedReport> reports;  // with `all`: a batch committed on its own
    BatchCompletion all;
  };

  void enqueue(Job job);

  std::unique_ptr<Poco::Data::Session> openSession() const;
  CollectorStats readStats(Poco::Data::Session& session, const StatsFilter& filter);
  /// The report and summary writers on writeSession_.
  void openWriters();
  void writerLoop();
  void commitBatch(std::deque<Job>& batch);
  bool tryCommit(const std::deque<Job>& batch, std::vector<StoreOutcome>& outcomes,
                 std::exception_ptr& failure);
  void commitAll(Job& job);
  bool tryCommitAll(const std::vector<ReceivedReport>& reports, std::vector<StoreOutcome>& outcomes,
                    std::exception_ptr& failure);
  /// After a failed transaction on PostgreSQL: a new connection, since the old one may be
  /// gone with a restarted or failed-over server. Never throws.
  void reconnect();
  StoreOutcome write(const ReceivedReport& report);
  StoreOutcome erase(const Deletion& deletion);
  /// One retention step, in one transaction: on PostgreSQL the monthly partitions that are
  /// wholly expired are dropped, else a chunk of the oldest expired reports is deleted;
  /// then reportsGoneBefore. True when more may remain.
  bool deleteExpired();
  std::size_t deleteExpiredChunk(std::int64_t before);
  /// The one place that follows retention: every report received before `before` is gone
  /// (in this step's transaction), and what is kept about them goes now: on PostgreSQL the
  /// idempotency key and initial report claims, a chunk at a time. Whatever else is derived
  /// from reports (summaries) must follow here. True when some remains for the next step.
  bool reportsGoneBefore(std::int64_t before);
  /// Logs what the pass deleted (received before `before`, epoch seconds), if anything.
  void endPass(std::int64_t before);

  Options options_;
  storage::SqlDialect dialect_;
  std::unique_ptr<Poco::Data::Session> writeSession_;
  std::unique_ptr<ReportWriter> reportWriter_;  // on writeSession_, used by the writer thread
  std::unique_ptr<SqlRunner> summaryRunner_;    // likewise
  std::unique_ptr<SummaryWriter> summaries_;    // on summaryRunner_
  std::mutex readMutex_;
  std::unique_ptr<Poco::Data::Session> readSession_;  // on `location`
  std::mutex dashboardMutex_;
  std::unique_ptr<Poco::Data::Session> dashboardSession_;  // on `readLocation`, opened on use

  std::mutex queueMutex_;
  std::condition_variable queueChanged_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::size_t expiredThisPass_ = 0;  // writer thread only
  std::thread writer_;
};

}  // namespace telemetry::collector
