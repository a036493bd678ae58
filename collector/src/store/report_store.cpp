#include "store/report_store.hpp"

#include <pthread.h>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>

#include "config/collector_log.hpp"
#include "partitions/report_partitions.hpp"
#include "server/epoch_seconds.hpp"
#include "sql/poco_sql_runner.hpp"
#include "sql/sqlite_sql_runner.hpp"
#include "store/poco_report_writer.hpp"
#include "store/report_queries.hpp"
#include "store/sqlite_report_writer.hpp"
#include "store/store_schema.hpp"
#include "summary/summary_reader.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/storage/write_transaction.hpp"

namespace telemetry::collector {
namespace {

using namespace Poco::Data::Keywords;

// Poco's what() is only the exception's class name; displayText() has the reason.
std::string reasonOf(const std::exception& e) {
  const auto* poco = dynamic_cast<const Poco::Exception*>(&e);
  return poco ? poco->displayText() : e.what();
}

std::int64_t singleCount(Poco::Data::Session& session, const std::string& sql) {
  Poco::Data::Statement select(session);
  select << sql, now;
  Poco::Data::RecordSet result(select);
  return result.moveFirst() ? result.value(0).convert<std::int64_t>() : 0;
}

}  // namespace

ReportStore::ReportStore(Options options)
    : options_(std::move(options)), dialect_(storage::isPostgresUrl(options_.location)) {
  // Either at zero would keep the writer deleting (or failing) in a loop.
  options_.retentionChunk = std::max<std::size_t>(options_.retentionChunk, 1);
  options_.retentionCheck =
      std::max<std::chrono::milliseconds>(options_.retentionCheck, std::chrono::milliseconds(10));
  writeSession_ = openSession();
  if (!dialect_.isPostgres()) {
    // WAL lets the dashboard read while the writer commits; FULL makes each commit durable.
    *writeSession_ << "PRAGMA journal_mode=WAL", now;
    *writeSession_ << "PRAGMA synchronous=FULL", now;
    // Deleted reports (deletion requests, retention) are overwritten, not left in free pages.
    *writeSession_ << "PRAGMA secure_delete=ON", now;
  }
  StoreSchema::migrate(*writeSession_, dialect_);
  openWriters();
  readSession_ = openSession();
  writer_ = std::thread([this] { writerLoop(); });
  // Named from here so the name is there once the constructor returns (top -H, perf, gdb).
  pthread_setname_np(writer_.native_handle(), "store-writer");
}

ReportStore::~ReportStore() {
  {
    std::lock_guard lock(queueMutex_);
    stopping_ = true;
  }
  queueChanged_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void ReportStore::openWriters() {
  summaries_.reset();
  summaryRunner_.reset();
  reportWriter_.reset();
  if (dialect_.isPostgres()) {
    reportWriter_ = std::make_unique<PocoReportWriter>(*writeSession_, dialect_);
    summaryRunner_ = std::make_unique<PocoSqlRunner>(*writeSession_, dialect_);
  } else {
    auto* connection = Poco::Data::SQLite::Utility::dbHandle(*writeSession_);
    reportWriter_ = std::make_unique<SqliteReportWriter>(connection);
    summaryRunner_ = std::make_unique<SqliteSqlRunner>(connection);
  }
  summaries_ = std::make_unique<SummaryWriter>(*summaryRunner_);
}

std::unique_ptr<Poco::Data::Session> ReportStore::openSession() const {
  return storage::openDatabase(options_.location).session;
}

namespace {

// For the callers that wait.
ReportStore::Completion fulfilling(std::shared_ptr<std::promise<StoreOutcome>> promise) {
  return [promise = std::move(promise)](StoreOutcome outcome, std::exception_ptr failure) {
    if (failure) {
      promise->set_exception(failure);
    } else {
      promise->set_value(outcome);
    }
  };
}

}  // namespace

void ReportStore::enqueue(Job job) {
  {
    std::lock_guard lock(queueMutex_);
    if (stopping_) throw StoreOverloaded("the store is shutting down");
    if (queue_.size() >= options_.queueCapacity) throw StoreOverloaded("the store queue is full");
    queue_.push_back(std::move(job));
  }
  queueChanged_.notify_one();
}

void ReportStore::submit(ReceivedReport report, Completion done) {
  enqueue(Job{std::move(report), std::nullopt, std::move(done), {}, nullptr});
}

void ReportStore::submitDeletion(std::string installation, std::int64_t at, Completion done) {
  enqueue(Job{std::nullopt, Deletion{std::move(installation), at}, std::move(done), {}, nullptr});
}

std::future<StoreOutcome> ReportStore::submitDeletion(std::string installation, std::int64_t at) {
  auto promise = std::make_shared<std::promise<StoreOutcome>>();
  auto future = promise->get_future();
  submitDeletion(std::move(installation), at, fulfilling(promise));
  return future;
}

std::future<StoreOutcome> ReportStore::submit(ReceivedReport report) {
  auto promise = std::make_shared<std::promise<StoreOutcome>>();
  auto future = promise->get_future();
  submit(std::move(report), fulfilling(promise));
  return future;
}

void ReportStore::submitAll(std::vector<ReceivedReport> reports, BatchCompletion done) {
  {
    std::lock_guard lock(queueMutex_);
    if (stopping_) throw StoreOverloaded("the store is shutting down");
    queue_.push_back(Job{std::nullopt, std::nullopt, nullptr, std::move(reports), std::move(done)});
  }
  queueChanged_.notify_one();
}

void ReportStore::forEachRecent(std::int64_t since,
                                const std::function<void(const ReceivedReport&)>& visit) {
  std::lock_guard lock(readMutex_);
  Poco::Data::Statement select(*readSession_);
  auto from = static_cast<Poco::Int64>(since);
  select << dialect_.sql(
      "SELECT installation, kind, idempotency_key, ip_hash, payload_digest, received_at"
      " FROM reports WHERE received_at >= ? ORDER BY received_at"),
      use(from), now;
  Poco::Data::RecordSet rows(select);
  ReceivedReport report;
  for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
    report.installation = rows.value(0).toString();
    report.initial = rows.value(1).toString() == "initial";
    report.idempotencyKey = rows.value(2).toString();
    report.ipHash = rows.value(3).toString();
    report.payloadDigest = rows.value(4).toString();
    report.receivedAt = rows.value(5).convert<std::int64_t>();
    visit(report);
  }
}

bool ReportStore::writable(std::chrono::milliseconds timeout) {
  auto promise = std::make_shared<std::promise<StoreOutcome>>();
  auto future = promise->get_future();
  {
    std::lock_guard lock(queueMutex_);
    if (stopping_ || queue_.size() >= options_.queueCapacity) return false;
    queue_.push_back(Job{std::nullopt, std::nullopt, fulfilling(promise), {}, nullptr});
  }
  queueChanged_.notify_one();
  if (future.wait_for(timeout) != std::future_status::ready) return false;
  try {
    future.get();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

void ReportStore::writerLoop() {
  const bool retains = options_.retention.count() > 0;
  auto nextExpiry = std::chrono::steady_clock::now();  // the first pass runs at start
  for (;;) {
    std::deque<Job> batch;
    bool stopping = false;
    bool drained = false;
    {
      std::unique_lock lock(queueMutex_);
      auto ready = [this] { return stopping_ || !queue_.empty(); };
      if (retains) {
        queueChanged_.wait_until(lock, nextExpiry, ready);
      } else {
        queueChanged_.wait(lock, ready);
      }
      if (stopping_ && queue_.empty()) return;  // drained
      stopping = stopping_;
      // A batch job is a transaction of its own; single reports gather up to it.
      std::size_t n = std::min(queue_.size(), options_.maxBatch);
      if (n > 0 && queue_.front().all) n = 1;
      for (std::size_t i = 1; i < n; ++i) {
        if (queue_[i].all) n = i;
      }
      std::move(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n),
                std::back_inserter(batch));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
      drained = queue_.empty();
    }
    if (batch.size() == 1 && batch.front().all) {
      commitAll(batch.front());
    } else if (!batch.empty()) {
      commitBatch(batch);
    }
    // Reports waiting to be stored go first: a chunk is deleted only once the queue is empty.
    // While stopping, only the queue is drained; expired reports wait for the next start.
    if (retains && drained && !stopping && std::chrono::steady_clock::now() >= nextExpiry) {
      nextExpiry = std::chrono::steady_clock::now() +
                   (deleteExpired() ? std::chrono::milliseconds(0) : options_.retentionCheck);
    }
  }
}

bool ReportStore::deleteExpired() {
  const std::int64_t before = epochSecondsNow() - options_.retention.count();
  std::size_t deleted = 0;
  bool more = false;
  try {
    // Each step its own transaction: queued reports go between them. The write lock orders
    // it with other collectors' writers and `forget` on a shared store.
    storage::WriteTransaction transaction(*writeSession_, dialect_);
    if (dialect_.isPostgres()) {
      const auto dropped = ReportPartitions(*writeSession_).dropBefore(before);
      if (!dropped.partitions.empty()) {
        std::string names;
        for (const auto& name : dropped.partitions) names += (names.empty() ? "" : ", ") + name;
        CollectorLog::get()->info("retention: dropped partition(s) {} ({} report(s))", names,
                                  dropped.reports);
        // Whole months, so whole UTC days: the summaries follow without reading the reports.
        summaries_->expire(dropped.through);
        deleted = static_cast<std::size_t>(dropped.reports);
        more = true;  // the boundary month's expired reports are next
      }
    }
    if (!more) {
      // The summaries follow in the same transaction: read the chunk, delete it, recompute.
      const auto limit = static_cast<std::int64_t>(options_.retentionChunk);
      const auto chunk = summaries_->oldest(before, limit);
      deleted = deleteExpiredChunk(before);
      summaries_->removed(chunk);
      more = deleted >= options_.retentionChunk;
    }
    Poco::Data::Statement oldest(*writeSession_);
    oldest << ReportQueries::kOldestReport, now;
    Poco::Data::RecordSet rows(oldest);
    std::int64_t goneBefore = before;
    if (rows.moveFirst() && !rows.value(0).isEmpty()) {
      goneBefore = std::min(goneBefore, rows.value(0).convert<std::int64_t>());
    }
    if (reportsGoneBefore(goneBefore)) more = true;
    transaction.commit();
  } catch (const std::exception& e) {
    summaries_->discard();
    CollectorLog::get()->warn(
        "deleting reports past the retention failed (next try in {}s): {}",
        std::chrono::duration_cast<std::chrono::seconds>(options_.retentionCheck).count(),
        reasonOf(e));
    endPass(before);
    return false;
  }
  if (deleted > 0 && options_.expired) options_.expired(deleted);
  expiredThisPass_ += deleted;
  if (more) return true;
  endPass(before);
  return false;
}

std::size_t ReportStore::deleteExpiredChunk(std::int64_t before) {
  auto bound = static_cast<Poco::Int64>(before);
  auto limit = static_cast<Poco::Int64>(options_.retentionChunk);
  Poco::Data::Statement remove(*writeSession_);
  if (dialect_.isPostgres()) {
    remove << dialect_.sql(ReportQueries::kDeleteExpiredChunkPartitioned), use(bound), use(bound),
        use(limit);
  } else {
    remove << ReportQueries::kDeleteExpiredChunk, use(bound), use(limit);
  }
  return remove.execute();
}

bool ReportStore::reportsGoneBefore(std::int64_t before) {
  if (!dialect_.isPostgres()) return false;
  auto bound = static_cast<Poco::Int64>(before);
  auto limit = static_cast<Poco::Int64>(options_.retentionChunk);
  bool more = false;
  for (const char* release :
       {ClaimQueries::kReleaseExpiredKeys, ClaimQueries::kReleaseExpiredInitials}) {
    Poco::Data::Statement remove(*writeSession_);
    remove << dialect_.sql(release), use(bound), use(limit);
    if (remove.execute() >= options_.retentionChunk) more = true;
  }
  return more;
}

void ReportStore::endPass(std::int64_t before) {
  if (expiredThisPass_ > 0) {
    CollectorLog::get()->info(
        "retention: deleted {} report(s) received before {} UTC", expiredThisPass_,
        Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(before), "%Y-%m-%d %H:%M"));
  }
  expiredThisPass_ = 0;
}

void ReportStore::commitBatch(std::deque<Job>& batch) {
  std::vector<StoreOutcome> outcomes;
  std::exception_ptr failure;
  if (tryCommit(batch, outcomes, failure)) {
    if (options_.committed) options_.committed(batch.size());
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(outcomes[i], nullptr);
    return;
  }
  reconnect();
  // A unique index may have caught a report another collector stored meanwhile: one job per
  // transaction, retried once, lets the duplicate check see it instead of failing them all.
  for (auto& job : batch) {
    std::deque<Job> one;
    one.push_back(std::move(job));
    if (tryCommit(one, outcomes, failure) || tryCommit(one, outcomes, failure)) {
      one.front().done(outcomes.front(), nullptr);
    } else {
      one.front().done(StoreOutcome::stored, failure);
    }
  }
}

void ReportStore::commitAll(Job& job) {
  std::vector<StoreOutcome> outcomes;
  std::exception_ptr failure;
  // Retried once: a unique index may have caught a report another collector stored
  // meanwhile, and the retry's duplicate check then sees it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (tryCommitAll(job.reports, outcomes, failure)) {
      if (options_.committed) options_.committed(job.reports.size());
      job.all(std::move(outcomes), nullptr);
      return;
    }
    reconnect();
  }
  job.all({}, failure);
}

bool ReportStore::tryCommitAll(const std::vector<ReceivedReport>& reports,
                               std::vector<StoreOutcome>& outcomes, std::exception_ptr& failure) {
  outcomes.clear();
  // Where a batch's time goes, for the debug log (docs/performance.md).
  using Clock = std::chrono::steady_clock;
  auto ms = [](Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(to - from).count();
  };
  try {
    const auto start = Clock::now();
    reportWriter_->begin();
    // On PostgreSQL every statement is a round trip: the batch's checks and summary rows are
    // read at once and its rows written at once. SQLite's statements run in-process.
    if (dialect_.isPostgres() && !reports.empty()) {
      std::int64_t from = reports.front().receivedAt;
      for (const auto& report : reports) from = std::min(from, report.receivedAt);
      reportWriter_->expect(reports, from - options_.dedupWindow.count());
      summaries_->expect(reports);
    }
    const auto read = Clock::now();
    for (const auto& report : reports) outcomes.push_back(write(report));
    const auto decided = Clock::now();
    summaries_->flush();
    const auto summarized = Clock::now();
    reportWriter_->commit();
    CollectorLog::get()->debug(
        "store: {} reports in one transaction: {} ms to lock and read, {} ms to decide, {} ms "
        "to write the summaries, {} ms to write the reports and commit",
        reports.size(), ms(start, read), ms(read, decided), ms(decided, summarized),
        ms(summarized, Clock::now()));
    return true;
  } catch (const std::exception& e) {
    reportWriter_->rollback();
    summaries_->discard();
    failure = std::current_exception();
    CollectorLog::get()->warn("store write of {} reports failed: {}", reports.size(), reasonOf(e));
    return false;
  }
}

void ReportStore::reconnect() {
  if (!dialect_.isPostgres()) return;
  try {
    auto session = openSession();
    summaries_.reset();
    summaryRunner_.reset();
    reportWriter_.reset();
    writeSession_ = std::move(session);
    openWriters();
  } catch (const std::exception& e) {
    // The old connection stays; the next failure tries again.
    CollectorLog::get()->debug("reconnecting to the store failed: {}", reasonOf(e));
  }
}

bool ReportStore::tryCommit(const std::deque<Job>& batch, std::vector<StoreOutcome>& outcomes,
                            std::exception_ptr& failure) {
  outcomes.clear();
  try {
    // The write lock makes check-then-insert atomic across collector instances sharing
    // one PostgreSQL store, so a race between them ends as a duplicate, not an error.
    reportWriter_->begin();
    for (const auto& job : batch) {
      if (job.report) {
        outcomes.push_back(write(*job.report));
      } else if (job.deletion) {
        outcomes.push_back(erase(*job.deletion));
      } else {
        reportWriter_->markChecked(epochSecondsNow());
        outcomes.push_back(StoreOutcome::stored);
      }
    }
    summaries_->flush();
    reportWriter_->commit();
    return true;
  } catch (const std::exception& e) {
    reportWriter_->rollback();  // a failed COMMIT leaves the transaction open as well
    summaries_->discard();
    failure = std::current_exception();
    CollectorLog::get()->warn("store write of {} reports failed: {}", batch.size(), reasonOf(e));
    return false;
  }
}

StoreOutcome ReportStore::write(const ReceivedReport& report) {
  using Rule = ReportWriter::DuplicateRule;
  auto& writer = *reportWriter_;
  // Here, in the writer's transaction, so that every way into the store drops them.
  if (writer.deleted(report.installation)) return StoreOutcome::installationDeleted;
  const std::int64_t since = report.receivedAt - options_.dedupWindow.count();
  if (!report.idempotencyKey.empty() && writer.exists(Rule::sameIdempotencyKey, report, since)) {
    return writer.exists(Rule::sameIdempotencyKeyAndPayload, report, since)
               ? StoreOutcome::duplicate
               : StoreOutcome::keyReused;
  }
  if (report.initial && writer.exists(Rule::initialAlreadyStored, report, since))
    return StoreOutcome::duplicate;
  if (report.idempotencyKey.empty() && writer.exists(Rule::samePayloadInWindow, report, since))
    return StoreOutcome::duplicate;
  writer.insert(report);
  summaries_->added(report);
  return StoreOutcome::stored;
}

StoreOutcome ReportStore::erase(const Deletion& deletion) {
  auto& writer = *reportWriter_;
  const bool before = writer.deleted(deletion.installation);
  const auto reports = summaries_->reportsOf(deletion.installation);
  const std::int64_t erased = writer.erase(deletion.installation, deletion.at);
  summaries_->removed(reports);
  // Logged before the commit: a failed one is logged as a failed write as well.
  CollectorLog::get()->info("deletion request: {} report(s) of one installation deleted{}", erased,
                            before ? " (deleted before)" : "");
  return before ? StoreOutcome::duplicate : StoreOutcome::erased;
}

std::int64_t ReportStore::reportCount() {
  std::lock_guard lock(readMutex_);
  return singleCount(*readSession_, ReportQueries::kReportCount);
}

CollectorStats ReportStore::stats(const StatsFilter& filter) {
  std::lock_guard lock(dashboardMutex_);
  const std::string& location =
      options_.readLocation.empty() ? options_.location : options_.readLocation;
  for (int attempt = 0;; ++attempt) {
    try {
      if (!dashboardSession_) dashboardSession_ = storage::openDatabase(location).session;
      return readStats(*dashboardSession_, filter);
    } catch (const Poco::Exception& e) {
      dashboardSession_.reset();
      if (!storage::isPostgresUrl(location)) throw;
      // The connection may be gone with a restarted or failed-over server: once more on a
      // new one before giving up.
      if (attempt == 0) continue;
      throw StoreUnreachable("the dashboard's store " + storage::redactedLocation(location) +
                             " cannot be read: " + reasonOf(e));
    }
  }
}

CollectorStats ReportStore::readStats(Poco::Data::Session& session, const StatsFilter& filter) {
  PocoSqlRunner runner(session, dialect_);
  return SummaryReader(runner).read(filter, epochSecondsNow());
}

}  // namespace telemetry::collector
