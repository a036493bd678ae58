#include "telemetry/state_store.hpp"

#include <algorithm>
#include <cmath>

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/UUIDGenerator.h>

#include "telemetry/hyper_log_log.hpp"
#include "telemetry/storage/schema_migrator.hpp"
#include "telemetry/storage/write_transaction.hpp"

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

const storage::SchemaMigrator& migrator() {
  static const storage::SchemaMigrator instance(
      "state store", {installationTables, workerSketches, licenseKeySource});
  return instance;
}

void addCount(Poco::Data::Session& session, const SqlDialect& dialect, const std::string& kind,
              const std::string& name, std::uint64_t count) {
  if (count == 0) return;
  session << dialect.sql(
      "INSERT INTO pending_usage (kind, name, count) VALUES (?, ?, ?)"
      " ON CONFLICT (kind, name) DO UPDATE SET count = pending_usage.count + "
      "excluded.count"),
      bind(kind), bind(name), bind(static_cast<Poco::Int64>(count)), now;
}

void subtractCount(Poco::Data::Session& session, const SqlDialect& dialect, const std::string& kind,
                   const std::string& name, std::uint64_t count) {
  if (count == 0) return;
  session << dialect.sql("UPDATE pending_usage SET count = count - ? WHERE kind = ? AND name = ?"),
      bind(static_cast<Poco::Int64>(count)), bind(kind), bind(name), now;
}

}  // namespace

StateStore::StateStore(const std::string& location, bool initialOptIn, int exactTaskWorkers)
    : exactTaskWorkers_(exactTaskWorkers),
      db_(storage::openDatabase(location)),
      location_(storage::redactedLocation(location)) {
  Poco::Data::Session& s = *db_.session;
  migrator().migrate(s, db_.dialect);
  // Under the write lock, so concurrent first runs (processes or nodes) keep one id.
  WriteTransaction transaction(s, db_.dialect);
  int rows = 0;
  s << "SELECT COUNT(*) FROM installation", into(rows), now;
  if (rows == 0) {
    std::string id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
    s << db_.dialect.sql(
        "INSERT INTO installation (id, installation_id, telemetry_enabled, created_at)"
        " VALUES (1, ?, ?, ?)"),
        bind(id), bind(initialOptIn ? 1 : 0), bind(toMillis(Clock::now())), now;
  }
  transaction.commit();
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

void StateStore::setTelemetryEnabled(bool enabled) {
  std::lock_guard lock(mutex_);
  WriteTransaction transaction(*db_.session, db_.dialect);
  setColumn("telemetry_enabled", enabled ? 1 : 0);
  // Counts gathered while enabled were never allowed out once the operator opts out.
  if (!enabled) *db_.session << "DELETE FROM pending_usage", now;
  transaction.commit();
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

void StateStore::setLicenseKey(const std::string& raw, LicenseKeySource source) {
  std::lock_guard lock(mutex_);
  *db_.session << db_.dialect.sql(
      "UPDATE installation SET license_key = ?, license_key_source = ? WHERE id = 1"),
      bind(raw), bind(std::string(toString(source))), now;
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

void StateStore::addUsage(const UsageSnapshot& counts, const std::vector<std::string>& workers,
                          TimePoint seenAt) {
  std::lock_guard lock(mutex_);
  Poco::Data::Session& s = *db_.session;
  WriteTransaction transaction(s, db_.dialect);
  for (const auto& [name, count] : counts.commands)
    addCount(s, db_.dialect, "command", name, count);
  for (const auto& [name, count] : counts.metrics) {
    if (name != "unique-task-workers") addCount(s, db_.dialect, "metric", name, count);
  }
  if (!workers.empty()) addWorkers(workers, seenAt);
  transaction.commit();
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
    (kind == "command" ? usage.commands[name] : usage.metrics[name]) += count;
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
