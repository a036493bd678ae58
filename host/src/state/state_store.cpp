#include "state/state_store.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/Statement.h>
#include <Poco/UUIDGenerator.h>

#include "config/logging.hpp"
#include "license_key.hpp"
#include "state/state_store_error.hpp"
#include "telemetry/storage/schema_migrator.hpp"
#include "telemetry/storage/store_file_error.hpp"
#include "telemetry/storage/write_transaction.hpp"
#include "telemetry/usage_count.hpp"
#include "usage/hyper_log_log.hpp"

namespace telemetry {
namespace {

using namespace std::chrono_literals;

using namespace Poco::Data::Keywords;
using storage::SqlDialect;
using storage::WriteTransaction;

constexpr auto kWorkerWindow = std::chrono::hours(24);

// Times are stored as milliseconds since the Unix epoch (BIGINT), 0 meaning "never".
Poco::Int64 toMillis(StateStore::TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

StateStore::TimePoint fromMillis(Poco::Int64 ms) {
  // A damaged row must not overflow the clock's nanoseconds (about 292 years around 1970).
  constexpr Poco::Int64 kLimit =
      std::chrono::duration_cast<std::chrono::milliseconds>(StateStore::Clock::duration::max())
          .count();
  return StateStore::TimePoint(std::chrono::milliseconds(std::clamp(ms, -kLimit, kLimit)));
}

std::optional<StateStore::TimePoint> optionalTime(Poco::Int64 ms) {
  if (ms == 0) return std::nullopt;
  return fromMillis(ms);
}

std::vector<std::string> installationTables(const SqlDialect&) {
  return {
      // One row (id 1): the installation this store belongs to.
      "CREATE TABLE installation ("
      " id INTEGER PRIMARY KEY CHECK (id = 1),"
      " installation_id TEXT NOT NULL,"
      " telemetry_enabled INTEGER NOT NULL,"
      " created_at BIGINT NOT NULL,"
      " initial_sent_at BIGINT NOT NULL DEFAULT 0,"
      " initial_claimed_until BIGINT NOT NULL DEFAULT 0,"
      " license_key TEXT,"
      " last_send_at BIGINT NOT NULL DEFAULT 0,"
      " last_send_kind TEXT NOT NULL DEFAULT '',"
      " last_send_status INTEGER NOT NULL DEFAULT 0,"
      " last_send_error TEXT NOT NULL DEFAULT '',"
      " last_full_delivered_at BIGINT NOT NULL DEFAULT 0)",
      // Counts not yet delivered; kind is 'command' or 'metric'.
      "CREATE TABLE pending_usage ("
      " kind TEXT NOT NULL, name TEXT NOT NULL, count BIGINT NOT NULL,"
      " PRIMARY KEY (kind, name))",
      "CREATE TABLE task_workers (worker_id TEXT PRIMARY KEY, last_seen BIGINT NOT NULL)",
      "CREATE INDEX task_workers_last_seen ON task_workers (last_seen)",
  };
}

std::vector<std::string> workerSketches(const SqlDialect&) {
  return {
      // Hourly HyperLogLog sketches of every worker seen, for when there are too many to
      // keep one by one; overflow_at is the last time one was not kept exactly.
      "CREATE TABLE task_worker_sketches (hour BIGINT PRIMARY KEY, registers TEXT NOT NULL)",
      "ALTER TABLE installation ADD COLUMN workers_overflow_at BIGINT NOT NULL DEFAULT 0",
  };
}

std::vector<std::string> licenseKeySource(const SqlDialect&) {
  // Keys stored before the REST API existed came from `telemetry license set`.
  return {
      "ALTER TABLE installation ADD COLUMN license_key_source TEXT NOT NULL DEFAULT "
      "'management'"};
}

std::vector<std::string> plannedFullReport(const SqlDialect&) {
  // When the running reporter will send the next full report (0: none planned), so that
  // `telemetry status` shows the reporter's own plan.
  return {"ALTER TABLE installation ADD COLUMN next_full_planned_at BIGINT NOT NULL DEFAULT 0"};
}

std::vector<std::string> optInDecided(const SqlDialect&) {
  // telemetry_enabled stays 0 while undecided, so older hosts sharing the store read "off".
  // Stores made before this column held a value their users were shown as a decision.
  return {"ALTER TABLE installation ADD COLUMN opt_in_decided INTEGER NOT NULL DEFAULT 1"};
}

std::vector<std::string> optOutCount(const SqlDialect&) {
  // Bumped by every opt-out, so that a process counting in memory learns of an opt-out made
  // by another process even when telemetry was enabled again before it looked.
  return {"ALTER TABLE installation ADD COLUMN opt_outs BIGINT NOT NULL DEFAULT 0"};
}

std::vector<std::string> pendingDeletions(const SqlDialect&) {
  return {
      // Deletion requests (`disable --delete`) not yet acknowledged by the collector, one
      // per old installation id, each with the Idempotency-Key kept across its retries.
      "CREATE TABLE pending_deletions ("
      " installation_id TEXT PRIMARY KEY,"
      " idempotency_key TEXT NOT NULL,"
      " requested_at BIGINT NOT NULL,"
      " last_try_at BIGINT NOT NULL DEFAULT 0,"
      " last_error TEXT NOT NULL DEFAULT '')",
      // Set when a deletion came before the initial report: the new id sends none.
      "ALTER TABLE installation ADD COLUMN initial_waived_at BIGINT NOT NULL DEFAULT 0",
  };
}

const storage::SchemaMigrator& migrator() {
  static const storage::SchemaMigrator instance(
      "state store", {installationTables, workerSketches, licenseKeySource, plannedFullReport,
                      optInDecided, optOutCount, pendingDeletions});
  return instance;
}

// A store keeps no license signature; one written before this rule is rewritten on open.
void removeLicenseSignature(Poco::Data::Session& session, const SqlDialect& dialect) {
  Poco::Nullable<std::string> key;
  session << "SELECT license_key FROM installation WHERE id = 1", into(key), now;
  if (key.isNull()) return;
  std::string stored = plugins::license::LicenseKey::parse(key.value()).withoutSignature();
  if (stored == key.value()) return;
  session << dialect.sql("UPDATE installation SET license_key = ? WHERE id = 1"), bind(stored), now;
}

void addCount(Poco::Data::Session& session, const SqlDialect& dialect, const std::string& kind,
              const std::string& name, std::uint64_t count) {
  if (count == 0) return;
  // Saturating at 2^63-1: a plain sum would overflow into a REAL (SQLite) or fail
  // (PostgreSQL); the bound is subtracted first so the test itself cannot overflow.
  session << dialect.sql(
      "INSERT INTO pending_usage (kind, name, count) VALUES (?, ?, ?)"
      " ON CONFLICT (kind, name) DO UPDATE SET count = CASE"
      " WHEN pending_usage.count > 9223372036854775807 - excluded.count"
      " THEN 9223372036854775807 ELSE pending_usage.count + excluded.count END"),
      bind(kind), bind(name), bind(static_cast<Poco::Int64>(std::min(count, kMaxUsageCount))), now;
}

void subtractCount(Poco::Data::Session& session, const SqlDialect& dialect, const std::string& kind,
                   const std::string& name, std::uint64_t count) {
  if (count == 0) return;
  session << dialect.sql("UPDATE pending_usage SET count = count - ? WHERE kind = ? AND name = ?"),
      bind(static_cast<Poco::Int64>(count)), bind(kind), bind(name), now;
}

constexpr const char* kStartOver =
    "; restore it from a backup, or move it away to start a new installation (with a new "
    "installation id, and the opt-in switch set from telemetry.initialize again)";

bool isMissingFile(const std::string& location) {
  std::error_code ec;
  return !storage::isPostgresUrl(location) &&
         !std::filesystem::exists(std::filesystem::symlink_status(location, ec));
}

/// The file as messages name it: absolute, so it is found whatever the working directory.
std::filesystem::path named(const std::string& location) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(location, ec);
  return ec ? std::filesystem::path(location) : absolute;
}

storage::Database open(const std::string& location, bool inMemory) {
  using Kind = storage::StoreFileError::Kind;
  try {
    return storage::openDatabase(inMemory ? std::string(storage::kInMemory) : location);
  } catch (const storage::StoreFileError& e) {
    std::string advice;
    if (e.kind() == Kind::damaged) advice = kStartOver;
    if (e.kind() == Kind::directory) {
      advice =
          "; point state.path at a file, e.g. " + (named(location) / "telemetry-state.db").string();
    }
    throw StateStoreError(named(location), "the state store " + e.problem() + advice);
  }
}

}  // namespace

StateStore::StateStore(const std::string& location, std::optional<bool> initialOptIn,
                       int exactTaskWorkers, StoreOpening opening)
    : exactTaskWorkers_(exactTaskWorkers),
      inMemory_(opening == StoreOpening::inMemoryIfMissing && isMissingFile(location)),
      db_(open(location, inMemory_)),
      location_(storage::redactedLocation(location)) {
  Poco::Data::Session& s = *db_.session;
  try {
    // The installation is created with the tables, in one transaction: a store that has
    // tables but no installation lost it, and must not silently become a new one.
    migrator().migrate(s, db_.dialect, [&](int foundVersion) {
      if (foundVersion == 0) {
        std::string id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
        s << db_.dialect.sql(
            "INSERT INTO installation (id, installation_id, telemetry_enabled, opt_in_decided,"
            " created_at) VALUES (1, ?, ?, ?, ?)"),
            bind(id), bind(initialOptIn.value_or(false) ? 1 : 0), bind(initialOptIn ? 1 : 0),
            bind(toMillis(Clock::now())), now;
        logger()->debug("created the state store {} for installation {}: telemetry {} (initialize)",
                        location_, id,
                        initialOptIn ? (*initialOptIn ? "enabled" : "disabled") : "not decided");
      }
      removeLicenseSignature(s, db_.dialect);
    });
    int rows = 0;
    s << "SELECT COUNT(*) FROM installation", into(rows), now;
    if (rows != 1) {
      throw StateStoreError(named(location),
                            "the state store is damaged (its installation is "
                            "gone)" +
                                std::string(kStartOver));
    }
  } catch (const Poco::Data::SQLite::DBLockedException&) {
    throw;  // busy for 30 s: not the file's fault
  } catch (const Poco::Data::SQLite::SQLiteException& e) {
    throw StateStoreError(named(location), "the state store is damaged (" +
                                               storage::sqliteReason(e) + ")" + kStartOver);
  }
}

StateStore::~StateStore() = default;

template <typename T>
T StateStore::column(const std::string& name) {
  T value{};
  *db_.session << "SELECT " + name + " FROM installation WHERE id = 1", into(value), now;
  return value;
}

template <typename T>
void StateStore::setColumn(const std::string& name, T value) {
  *db_.session << db_.dialect.sql("UPDATE installation SET " + name + " = ? WHERE id = 1"),
      bind(value), now;
}

std::string StateStore::installationId() {
  std::lock_guard lock(mutex_);
  return column<std::string>("installation_id");
}

bool StateStore::telemetryEnabled() {
  std::lock_guard lock(mutex_);
  return column<int>("telemetry_enabled") != 0;
}

std::optional<bool> StateStore::optIn() {
  std::lock_guard lock(mutex_);
  int enabled = 0;
  int decided = 0;
  *db_.session << "SELECT telemetry_enabled, opt_in_decided FROM installation WHERE id = 1",
      into(enabled), into(decided), now;
  if (decided == 0) return std::nullopt;
  return enabled != 0;
}

void StateStore::setTelemetryEnabled(bool enabled) {
  std::lock_guard lock(mutex_);
  WriteTransaction transaction(*db_.session, db_.dialect);
  setColumn("telemetry_enabled", enabled ? 1 : 0);
  setColumn("opt_in_decided", 1);
  // Counts gathered while enabled were never allowed out once the operator opts out.
  if (!enabled) {
    *db_.session << "DELETE FROM pending_usage", now;
    *db_.session << "UPDATE installation SET opt_outs = opt_outs + 1 WHERE id = 1", now;
  }
  transaction.commit();
}

StateStore::OptInSwitch StateStore::optInSwitch() {
  std::lock_guard lock(mutex_);
  int enabled = 0;
  Poco::Int64 optOuts = 0;
  *db_.session << "SELECT telemetry_enabled, opt_outs FROM installation WHERE id = 1",
      into(enabled), into(optOuts), now;
  return {enabled != 0, optOuts};
}

std::optional<StateStore::TimePoint> StateStore::initialReportSentAt() {
  std::lock_guard lock(mutex_);
  return optionalTime(column<Poco::Int64>("initial_sent_at"));
}

bool StateStore::claimInitialReport(TimePoint at, std::chrono::milliseconds claimTtl) {
  std::lock_guard lock(mutex_);
  WriteTransaction transaction(*db_.session, db_.dialect);
  Poco::Int64 sentAt = column<Poco::Int64>("initial_sent_at");
  Poco::Int64 claimedUntil = column<Poco::Int64>("initial_claimed_until");
  if (sentAt != 0 || claimedUntil > toMillis(at)) return false;
  if (column<Poco::Int64>("initial_waived_at") != 0) return false;
  setColumn("initial_claimed_until", toMillis(at + claimTtl));
  transaction.commit();
  return true;
}

void StateStore::finishInitialReport(std::optional<TimePoint> deliveredAt) {
  std::lock_guard lock(mutex_);
  WriteTransaction transaction(*db_.session, db_.dialect);
  if (deliveredAt) setColumn("initial_sent_at", toMillis(*deliveredAt));
  setColumn("initial_claimed_until", Poco::Int64{0});
  transaction.commit();
}

bool StateStore::initialReportSettled() {
  std::lock_guard lock(mutex_);
  Poco::Int64 sentAt = 0;
  Poco::Int64 waivedAt = 0;
  *db_.session << "SELECT initial_sent_at, initial_waived_at FROM installation WHERE id = 1",
      into(sentAt), into(waivedAt), now;
  return sentAt != 0 || waivedAt != 0;
}

std::string StateStore::requestDeletion(TimePoint at) {
  std::lock_guard lock(mutex_);
  Poco::Data::Session& s = *db_.session;
  WriteTransaction transaction(s, db_.dialect);
  const std::string old = column<std::string>("installation_id");
  std::string key = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  std::string fresh = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  // The opt-out first, as setTelemetryEnabled(false): counts and worker sightings of the
  // old id are never sent under the new one.
  setColumn("telemetry_enabled", 0);
  setColumn("opt_in_decided", 1);
  s << "DELETE FROM pending_usage", now;
  s << "DELETE FROM task_workers", now;
  s << "DELETE FROM task_worker_sketches", now;
  s << "UPDATE installation SET opt_outs = opt_outs + 1 WHERE id = 1", now;
  s << db_.dialect.sql(
      "INSERT INTO pending_deletions (installation_id, idempotency_key, requested_at)"
      " VALUES (?, ?, ?) ON CONFLICT (installation_id) DO NOTHING"),
      bind(old), bind(key), bind(toMillis(at)), now;
  setColumn("installation_id", fresh);
  // The installation's one initial report: sent under the old id, or never (waived).
  if (column<Poco::Int64>("initial_sent_at") == 0) setColumn("initial_waived_at", toMillis(at));
  transaction.commit();
  logger()->debug("deletion of installation {} requested; the new installation id is {}", old,
                  fresh);
  return old;
}

std::vector<PendingDeletion> StateStore::pendingDeletions() {
  std::lock_guard lock(mutex_);
  Poco::Data::Statement select(*db_.session);
  select << "SELECT installation_id, idempotency_key, requested_at, last_try_at, last_error"
            " FROM pending_deletions ORDER BY requested_at",
      now;
  Poco::Data::RecordSet rows(select);
  std::vector<PendingDeletion> pending;
  for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
    PendingDeletion deletion;
    deletion.installationId = rows.value(0).convert<std::string>();
    deletion.idempotencyKey = rows.value(1).convert<std::string>();
    deletion.requestedAt = fromMillis(rows.value(2).convert<Poco::Int64>());
    deletion.lastTry = optionalTime(rows.value(3).convert<Poco::Int64>());
    deletion.lastError = rows.value(4).convert<std::string>();
    pending.push_back(std::move(deletion));
  }
  return pending;
}

void StateStore::finishDeletion(const std::string& installationId, TimePoint at,
                                const std::optional<std::string>& error) {
  std::lock_guard lock(mutex_);
  if (!error) {
    *db_.session << db_.dialect.sql("DELETE FROM pending_deletions WHERE installation_id = ?"),
        bind(installationId), now;
    return;
  }
  *db_.session << db_.dialect.sql(
      "UPDATE pending_deletions SET last_try_at = ?, last_error = ? WHERE installation_id = ?"),
      bind(toMillis(at)), bind(*error), bind(installationId), now;
}

std::optional<StoredLicenseKey> StateStore::licenseKey() {
  std::lock_guard lock(mutex_);
  Poco::Nullable<std::string> key;
  std::string source;
  *db_.session << "SELECT license_key, license_key_source FROM installation WHERE id = 1",
      into(key), into(source), now;
  if (key.isNull()) return std::nullopt;
  return StoredLicenseKey{key.value(), source == toString(LicenseKeySource::adminWebapp)
                                           ? LicenseKeySource::adminWebapp
                                           : LicenseKeySource::management};
}

LicenseKeySource StateStore::setLicenseKey(const std::string& key, LicenseKeySource source) {
  std::lock_guard lock(mutex_);
  std::string stored = plugins::license::LicenseKey::parse(key).withoutSignature();
  WriteTransaction transaction(*db_.session, db_.dialect);
  Poco::Nullable<std::string> current;
  std::string currentSource;
  *db_.session << "SELECT license_key, license_key_source FROM installation WHERE id = 1",
      into(current), into(currentSource), now;
  // As Camunda: the same key set again keeps what is known of it, so a key set through the
  // admin page stays structured when `license set` stores it once more.
  if (!current.isNull() && current.value() == stored &&
      currentSource == toString(LicenseKeySource::adminWebapp)) {
    source = LicenseKeySource::adminWebapp;
  }
  *db_.session << db_.dialect.sql(
      "UPDATE installation SET license_key = ?, license_key_source = ? WHERE id = 1"),
      bind(stored), bind(std::string(toString(source))), now;
  transaction.commit();
  return source;
}

void StateStore::clearLicenseKey() {
  std::lock_guard lock(mutex_);
  *db_.session << "UPDATE installation SET license_key = NULL WHERE id = 1", now;
}

void StateStore::recordSend(const SendRecord& record) {
  std::lock_guard lock(mutex_);
  WriteTransaction transaction(*db_.session, db_.dialect);
  *db_.session << db_.dialect.sql(
      "UPDATE installation SET last_send_at = ?, last_send_kind = ?,"
      " last_send_status = ?, last_send_error = ? WHERE id = 1"),
      bind(toMillis(record.at)), bind(record.kind), bind(record.httpStatus), bind(record.error),
      now;
  if (record.delivered() && record.kind == "full") {
    setColumn("last_full_delivered_at", toMillis(record.at));
  }
  transaction.commit();
}

std::optional<SendRecord> StateStore::lastSend() {
  std::lock_guard lock(mutex_);
  Poco::Int64 at = 0;
  SendRecord record;
  *db_.session << "SELECT last_send_at, last_send_kind, last_send_status, last_send_error"
                  " FROM installation WHERE id = 1",
      into(at), into(record.kind), into(record.httpStatus), into(record.error), now;
  if (at == 0) return std::nullopt;
  record.at = fromMillis(at);
  return record;
}

std::optional<StateStore::TimePoint> StateStore::lastFullReportDelivered() {
  std::lock_guard lock(mutex_);
  return optionalTime(column<Poco::Int64>("last_full_delivered_at"));
}

void StateStore::planFullReport(std::optional<TimePoint> at) {
  std::lock_guard lock(mutex_);
  setColumn("next_full_planned_at", at ? toMillis(*at) : Poco::Int64{0});
}

std::optional<StateStore::TimePoint> StateStore::plannedFullReport() {
  std::lock_guard lock(mutex_);
  return optionalTime(column<Poco::Int64>("next_full_planned_at"));
}

bool StateStore::addUsage(const UsageSnapshot& counts, const std::vector<std::string>& workers,
                          TimePoint seenAt, std::optional<std::int64_t> unlessOptOutsSince) {
  std::lock_guard lock(mutex_);
  Poco::Data::Session& s = *db_.session;
  WriteTransaction transaction(s, db_.dialect);
  if (unlessOptOutsSince && column<Poco::Int64>("opt_outs") != *unlessOptOutsSince) return false;
  for (const auto& [name, count] : counts.commands)
    addCount(s, db_.dialect, "command", name, count);
  for (const auto& [name, count] : counts.metrics) {
    if (name != "unique-task-workers") addCount(s, db_.dialect, "metric", name, count);
  }
  if (!workers.empty()) addWorkers(workers, seenAt);
  transaction.commit();
  return true;
}

void StateStore::addWorkers(const std::vector<std::string>& workers, TimePoint seenAt) {
  Poco::Data::Session& s = *db_.session;
  const Poco::Int64 seen = toMillis(seenAt);
  Poco::Int64 hour = seen / std::chrono::milliseconds(1h).count();
  std::string hex;
  s << db_.dialect.sql("SELECT registers FROM task_worker_sketches WHERE hour = ?"), bind(hour),
      into(hex), now;
  HyperLogLog sketch = HyperLogLog::fromHex(hex).value_or(HyperLogLog{});
  Poco::Int64 kept = 0;
  s << "SELECT COUNT(*) FROM task_workers", into(kept), now;
  bool overflow = false;
  for (const std::string& worker : workers) {
    sketch.add(worker);
    int known = 0;
    s << db_.dialect.sql("SELECT COUNT(*) FROM task_workers WHERE worker_id = ?"), bind(worker),
        into(known), now;
    if (known == 0 && kept >= exactTaskWorkers_) {
      overflow = true;  // only in the sketch
      continue;
    }
    kept += known == 0 ? 1 : 0;
    s << db_.dialect.sql(
        "INSERT INTO task_workers (worker_id, last_seen) VALUES (?, ?)"
        " ON CONFLICT (worker_id) DO UPDATE SET last_seen = CASE"
        " WHEN excluded.last_seen > task_workers.last_seen THEN excluded.last_seen"
        " ELSE task_workers.last_seen END"),
        bind(worker), bind(seen), now;
  }
  s << db_.dialect.sql(
      "INSERT INTO task_worker_sketches (hour, registers) VALUES (?, ?)"
      " ON CONFLICT (hour) DO UPDATE SET registers = excluded.registers"),
      bind(hour), bind(sketch.toHex()), now;
  if (overflow) setColumn("workers_overflow_at", seen);
}

UsageSnapshot StateStore::pendingUsage() {
  std::lock_guard lock(mutex_);
  Poco::Data::Statement select(*db_.session);
  select << "SELECT kind, name, count FROM pending_usage WHERE count > 0", now;
  Poco::Data::RecordSet rows(select);
  UsageSnapshot usage;
  for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
    const std::string kind = rows.value(0).convert<std::string>();
    const std::string name = rows.value(1).convert<std::string>();
    const auto count = rows.value(2).convert<Poco::UInt64>();
    auto& sum = kind == "command" ? usage.commands[name] : usage.metrics[name];
    sum = saturatingAdd(sum, count);
  }
  return usage;
}

void StateStore::subtractUsage(const UsageSnapshot& delivered) {
  std::lock_guard lock(mutex_);
  Poco::Data::Session& s = *db_.session;
  WriteTransaction transaction(s, db_.dialect);
  for (const auto& [name, count] : delivered.commands) {
    subtractCount(s, db_.dialect, "command", name, count);
  }
  for (const auto& [name, count] : delivered.metrics) {
    subtractCount(s, db_.dialect, "metric", name, count);
  }
  s << "DELETE FROM pending_usage WHERE count <= 0", now;
  transaction.commit();
}

void StateStore::clearPendingUsage() {
  std::lock_guard lock(mutex_);
  *db_.session << "DELETE FROM pending_usage", now;
}

std::uint64_t StateStore::uniqueTaskWorkers(TimePoint at) {
  std::lock_guard lock(mutex_);
  Poco::Data::Session& s = *db_.session;
  const Poco::Int64 since = toMillis(at - kWorkerWindow);
  const Poco::Int64 hourMillis = std::chrono::milliseconds(1h).count();
  const Poco::Int64 firstHour = since / hourMillis;
  WriteTransaction transaction(s, db_.dialect);
  s << db_.dialect.sql("DELETE FROM task_workers WHERE last_seen < ?"), bind(since), now;
  s << db_.dialect.sql("DELETE FROM task_worker_sketches WHERE hour < ?"), bind(firstHour), now;
  Poco::Int64 count = 0;
  s << db_.dialect.sql("SELECT COUNT(*) FROM task_workers WHERE last_seen <= ?"),
      bind(toMillis(at)), into(count), now;
  double estimate = static_cast<double>(count);
  // Some sightings in the window were not kept one by one: only the sketches know them all.
  if (column<Poco::Int64>("workers_overflow_at") >= since) {
    std::vector<std::string> sketches;
    s << db_.dialect.sql("SELECT registers FROM task_worker_sketches WHERE hour >= ?"),
        bind(firstHour), into(sketches), now;
    HyperLogLog window;
    for (const std::string& hex : sketches) {
      if (auto sketch = HyperLogLog::fromHex(hex)) window.merge(*sketch);
    }
    estimate = std::max(estimate, window.estimate());
  }
  transaction.commit();
  return static_cast<std::uint64_t>(std::llround(estimate));
}

}  // namespace telemetry
