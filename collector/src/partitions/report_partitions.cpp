#include "partitions/report_partitions.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>

#include <algorithm>
#include <chrono>

#include "config/collector_log.hpp"

namespace telemetry::collector {
namespace {

using namespace Poco::Data::Keywords;

constexpr const char* kPrefix = "reports_";

std::string range(UtcMonth month) {
  return "FROM (" + std::to_string(month.start()) + ") TO (" + std::to_string(month.end()) + ")";
}

}  // namespace

std::string ReportPartitions::nameOf(UtcMonth month) { return kPrefix + month.suffix(); }

std::vector<UtcMonth> ReportPartitions::months() {
  Poco::Data::Statement select(session_);
  select << "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'reports'::regclass",
      now;
  Poco::Data::RecordSet rows(select);
  std::vector<UtcMonth> out;
  const std::string prefix = kPrefix;
  for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
    const std::string name = rows.value(0).toString();
    if (!name.starts_with(prefix)) continue;
    if (auto month = UtcMonth::fromSuffix(name.substr(prefix.size()))) out.push_back(*month);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::int64_t ReportPartitions::count(const std::string& sql) {
  Poco::Data::Statement select(session_);
  select << sql, now;
  Poco::Data::RecordSet rows(select);
  if (!rows.moveFirst() || rows.value(0).isEmpty()) return 0;
  return rows.value(0).convert<std::int64_t>();
}

std::string ReportPartitions::columns() {
  Poco::Data::Statement select(session_);
  select << "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute"
            " WHERE attrelid = 'reports'::regclass AND attnum > 0 AND NOT attisdropped",
      now;
  Poco::Data::RecordSet rows(select);
  rows.moveFirst();
  return rows.value(0).toString();
}

std::vector<UtcMonth> ReportPartitions::monthsInDefault(UtcMonth last) {
  std::vector<UtcMonth> out;
  // Reports dated before 1970 (none the collector writes) stay in the default partition.
  for (auto from = static_cast<Poco::Int64>(0);;) {
    auto until = static_cast<Poco::Int64>(last.end());
    Poco::Data::Statement select(session_);
    select << "SELECT MIN(received_at) FROM reports_default"
              " WHERE received_at >= $1 AND received_at < $2",
        use(from), use(until), now;
    Poco::Data::RecordSet rows(select);
    if (!rows.moveFirst() || rows.value(0).isEmpty()) return out;
    const UtcMonth month = UtcMonth::of(rows.value(0).convert<std::int64_t>());
    if (month.named()) out.push_back(month);
    from = static_cast<Poco::Int64>(month.end());
  }
}

void ReportPartitions::createMoving(UtcMonth month) {
  const std::string name = nameOf(month);
  const std::string cols = columns();
  session_ << "CREATE TABLE " + name + " (LIKE reports INCLUDING DEFAULTS)", now;
  Poco::Data::Statement move(session_);
  move << "WITH moved AS (DELETE FROM reports_default WHERE received_at >= " +
              std::to_string(month.start()) + " AND received_at < " + std::to_string(month.end()) +
              " RETURNING " + cols + ") INSERT INTO " + name + " (" + cols + ") SELECT " + cols +
              " FROM moved";
  const std::size_t moved = move.execute();
  session_ << "ALTER TABLE reports ATTACH PARTITION " + name + " FOR VALUES " + range(month), now;
  if (moved > 0) {
    CollectorLog::get()->info("store: partition {} created, {} report(s) moved into it", name,
                              moved);
  } else {
    CollectorLog::get()->debug("store: partition {} created", name);
  }
}

// `at`, not `now`: that is Poco's keyword that runs a statement.
void ReportPartitions::prepareAhead(std::int64_t at) {
  const auto existing = months();
  const UtcMonth current = UtcMonth::of(at);
  for (int ahead = 0; ahead <= kMonthsAhead; ++ahead) {
    const UtcMonth month = current.plus(ahead);
    if (!std::binary_search(existing.begin(), existing.end(), month)) createMoving(month);
  }
}

void ReportPartitions::arrange(std::int64_t at) {
  const auto strays = monthsInDefault(UtcMonth::of(at).plus(kMonthsAhead));
  if (!strays.empty()) {
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t reports = count("SELECT COUNT(*) FROM reports_default");
    CollectorLog::get()->info(
        "store: sorting {} report(s) into monthly partitions ({} month(s), {} to {}); this "
        "takes a while on a large store",
        reports, strays.size(), nameOf(strays.front()), nameOf(strays.back()));
    // One pass: the default partition steps aside whole, an empty one takes its place, and
    // its reports are inserted again through the parent, which routes each to its month.
    // Moving month by month would scan the whole default partition once per month.
    const std::string cols = columns();
    session_ << "ALTER TABLE reports DETACH PARTITION reports_default", now;
    session_ << "ALTER TABLE reports_default RENAME TO reports_unsorted", now;
    session_ << "CREATE TABLE reports_default PARTITION OF reports DEFAULT", now;
    const auto existing = months();
    for (const UtcMonth month : strays) {
      if (std::binary_search(existing.begin(), existing.end(), month)) continue;
      session_ << "CREATE TABLE " + nameOf(month) + " PARTITION OF reports FOR VALUES " +
                      range(month),
          now;
    }
    session_ << "INSERT INTO reports (" + cols + ") SELECT " + cols + " FROM reports_unsorted", now;
    session_ << "DROP TABLE reports_unsorted", now;
    CollectorLog::get()->info(
        "store: {} report(s) sorted into monthly partitions in {} s", reports,
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
            .count());
  }
  prepareAhead(at);
}

ReportPartitions::Dropped ReportPartitions::dropBefore(std::int64_t before) {
  Dropped dropped;
  std::string sum = "SELECT 0";
  for (const UtcMonth month : months()) {
    if (month.end() > before) break;
    dropped.partitions.push_back(nameOf(month));
    dropped.through = month.end();
    sum += " + (SELECT COUNT(*) FROM " + dropped.partitions.back() + ")";
  }
  if (dropped.partitions.empty()) return dropped;
  dropped.reports = count(sum);
  std::string drop = "DROP TABLE ";
  for (std::size_t i = 0; i < dropped.partitions.size(); ++i) {
    drop += (i > 0 ? ", " : "") + dropped.partitions[i];
  }
  session_ << drop, now;
  return dropped;
}

}  // namespace telemetry::collector
