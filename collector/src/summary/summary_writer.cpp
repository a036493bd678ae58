#include "summary/summary_writer.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "report/list_column.hpp"
#include "summary/summary_queries.hpp"

namespace telemetry::collector {
namespace {

std::int64_t dayOf(std::int64_t at) { return at / SummaryQueries::kSecondsPerDay; }

bool optedIn(const std::string& kind, std::int64_t enabled) {
  return kind == "full" || enabled != 0;
}

// One table's count changes: an upsert row (key columns, then the change) for each changed
// key, then the drop of those it lowered that reached 0.
template <typename Key, typename ToRow>
void writeCounts(SqlRunner& runner, const std::map<Key, std::int64_t>& pending, const char* add,
                 const char* dropEmpty, ToRow toRow) {
  std::vector<SqlRow> rows, lowered;
  for (const auto& [key, delta] : pending) {
    if (delta == 0) continue;
    rows.push_back(toRow(key, delta));
    if (delta < 0) lowered.emplace_back(rows.back().begin(), rows.back().end() - 1);
  }
  if (!rows.empty()) runner.executeEach(add, {}, rows);
  if (!lowered.empty()) runner.executeEach(dropEmpty, {}, lowered);
}

}  // namespace

std::set<SummaryWriter::CountKey> SummaryWriter::counted(const InstallationRow& row) {
  std::set<CountKey> keys;
  if (!row.exists) return keys;
  auto add = [&](const char* dimension, const std::string& value) {
    keys.insert(CountKey{row.version, row.edition, dimension, value});
  };
  add("installations", "");
  if (row.optedIn) add("opted-in", "");
  if (row.hasFull) add("full", "");
  if (!row.database.empty()) add("database", row.database);
  if (!row.appServer.empty()) add("app-server", row.appServer);
  if (!row.jdk.empty()) add("jdk", row.jdk);
  // Installations per name: a name listed twice by one installation counts once.
  for (const auto& item : ListColumn::split(row.integrations)) add("integration", item);
  for (const auto& item : ListColumn::split(row.webapps)) add("webapp", item);
  return keys;
}

std::set<SummaryWriter::CountKey> SummaryWriter::counted(const DayRow& row) {
  std::set<CountKey> keys;
  if (!row.exists) return keys;
  auto add = [&](const char* dimension, const std::string& value) {
    keys.insert(CountKey{row.version, row.edition, dimension, value});
  };
  add("active", "");
  if (row.optedIn) add("opted-in", "");
  if (row.firstDay) add("new", "");
  if (!row.database.empty()) add("database", row.database);
  return keys;
}

SummaryWriter::InstallationRow SummaryWriter::installationFrom(const SqlRow& row,
                                                               std::size_t first) {
  InstallationRow out;
  out.exists = true;
  out.version = SqlRunner::text(row[first]);
  out.edition = SqlRunner::text(row[first + 1]);
  out.optedIn = SqlRunner::integer(row[first + 2]) != 0;
  out.firstSeen = SqlRunner::integer(row[first + 3]);
  out.lastSeen = SqlRunner::integer(row[first + 4]);
  out.hasFull = SqlRunner::integer(row[first + 5]) != 0;
  out.lastFullAt = SqlRunner::integer(row[first + 6]);
  out.database = SqlRunner::text(row[first + 7]);
  out.appServer = SqlRunner::text(row[first + 8]);
  out.jdk = SqlRunner::text(row[first + 9]);
  out.integrations = SqlRunner::text(row[first + 10]);
  out.webapps = SqlRunner::text(row[first + 11]);
  return out;
}

SummaryWriter::DayRow SummaryWriter::dayFrom(const SqlRow& row, std::size_t first) {
  DayRow out;
  out.exists = true;
  out.version = SqlRunner::text(row[first]);
  out.edition = SqlRunner::text(row[first + 1]);
  out.database = SqlRunner::text(row[first + 2]);
  out.optedIn = SqlRunner::integer(row[first + 3]) != 0;
  out.firstDay = SqlRunner::integer(row[first + 4]) != 0;
  out.lastAt = SqlRunner::integer(row[first + 5]);
  return out;
}

SqlRow SummaryWriter::columnsOf(const std::string& installation, const InstallationRow& row) {
  return {installation,
          row.version,
          row.edition,
          std::int64_t{row.optedIn},
          row.firstSeen,
          row.lastSeen,
          std::int64_t{row.hasFull},
          row.lastFullAt,
          row.database,
          row.appServer,
          row.jdk,
          row.integrations,
          row.webapps};
}

SqlRow SummaryWriter::columnsOf(std::int64_t day, const std::string& installation,
                                const DayRow& row) {
  return {day,
          installation,
          row.version,
          row.edition,
          row.database,
          std::int64_t{row.optedIn},
          std::int64_t{row.firstDay},
          row.lastAt};
}

SummaryWriter::InstallationRow SummaryWriter::loadInstallation(const std::string& installation) {
  if (expecting_) {
    if (auto found = installations_.find(installation); found != installations_.end())
      return found->second;
  }
  const auto rows = runner_.query(SummaryQueries::kInstallation, {installation});
  auto out = rows.empty() ? InstallationRow{} : installationFrom(rows.front(), 0);
  if (expecting_) installations_.emplace(installation, out);
  return out;
}

SummaryWriter::DayRow SummaryWriter::loadDay(std::int64_t day, const std::string& installation) {
  if (expecting_) {
    if (auto found = days_.find({day, installation}); found != days_.end()) return found->second;
  }
  const auto rows = runner_.query(SummaryQueries::kDay, {day, installation});
  auto out = rows.empty() ? DayRow{} : dayFrom(rows.front(), 0);
  if (expecting_) days_.emplace(std::pair{day, installation}, out);
  return out;
}

void SummaryWriter::expect(const std::vector<ReceivedReport>& reports) {
  installations_.clear();
  changedInstallations_.clear();
  days_.clear();
  changedDays_.clear();
  expecting_ = true;
  std::set<std::string> ids;
  std::map<std::int64_t, std::set<std::string>> daysOf;
  for (const auto& report : reports) {
    ids.insert(report.installation);
    daysOf[dayOf(report.receivedAt)].insert(report.installation);
  }
  // Absent rows are remembered as absent: they are not looked for again.
  for (const auto& id : ids) installations_[id] = InstallationRow{};
  for (const auto& row :
       runner_.queryEach(SummaryQueries::kInstallationsAmong, {}, SqlRunner::rowsOf(ids)))
    installations_[SqlRunner::text(row[0])] = installationFrom(row, 1);
  // Usually one or two days per batch: a query each.
  for (const auto& [day, dayIds] : daysOf) {
    for (const auto& id : dayIds) days_[{day, id}] = DayRow{};
    for (const auto& row :
         runner_.queryEach(SummaryQueries::kDaysAmong, {day}, SqlRunner::rowsOf(dayIds)))
      days_[{day, SqlRunner::text(row[0])}] = dayFrom(row, 1);
  }
}

void SummaryWriter::storeExpected() {
  std::vector<SqlRow> installationRows, dayRows;
  for (const auto& id : changedInstallations_) {
    const auto& row = installations_.at(id);
    if (row.exists) {
      installationRows.push_back(columnsOf(id, row));
    } else {
      runner_.execute(SummaryQueries::kDeleteInstallation, {id});
    }
  }
  for (const auto& key : changedDays_) {
    const auto& row = days_.at(key);
    if (row.exists) {
      dayRows.push_back(columnsOf(key.first, key.second, row));
    } else {
      runner_.execute(SummaryQueries::kDeleteDay, {key.first, key.second});
    }
  }
  if (!installationRows.empty())
    runner_.executeEach(SummaryQueries::kStoreInstallations, {}, installationRows);
  if (!dayRows.empty()) runner_.executeEach(SummaryQueries::kStoreDays, {}, dayRows);
}

// Count changes wait in memory: a batch of reports changes each count once. Every change
// also goes to the sums over versions and editions, which the unfiltered dashboard reads.
void SummaryWriter::addCurrent(const CountKey& key, std::int64_t delta) {
  pendingCurrent_[key] += delta;
  pendingCurrentTotals_[{key.dimension, key.value}] += delta;
  if (key.dimension == "installations") {
    pendingCurrentTotals_[{"version", key.version}] += delta;
    pendingCurrentTotals_[{"edition", key.edition}] += delta;
  }
}

void SummaryWriter::addDaily(std::int64_t day, const CountKey& key, std::int64_t delta) {
  pendingDaily_[{day, key}] += delta;
  pendingDailyTotals_[{day, key.dimension, key.value}] += delta;
  // The trend per version: days x versions, not x editions x values.
  if (key.dimension == "active") pendingDailyTotals_[{day, "version", key.version}] += delta;
}

void SummaryWriter::addReports(std::int64_t day, const std::string& version,
                               const std::string& edition, std::int64_t delta) {
  pendingReports_[{day, version, edition}] += delta;
  pendingReportTotals_[day] += delta;
}

void SummaryWriter::flush() {
  if (expecting_) storeExpected();
  using Q = SummaryQueries;
  // (day, version, edition) of daily_reports and (day, dimension, value) of daily_totals.
  const auto dayKeyRow = [](const std::tuple<std::int64_t, std::string, std::string>& key,
                            std::int64_t delta) {
    return SqlRow{std::get<0>(key), std::get<1>(key), std::get<2>(key), delta};
  };
  writeCounts(runner_, pendingCurrent_, Q::kAddCurrent, Q::kDropEmptyCurrent,
              [](const CountKey& key, std::int64_t delta) {
                return SqlRow{key.version, key.edition, key.dimension, key.value, delta};
              });
  writeCounts(runner_, pendingDaily_, Q::kAddDaily, Q::kDropEmptyDaily,
              [](const std::pair<std::int64_t, CountKey>& key, std::int64_t delta) {
                const auto& [day, count] = key;
                return SqlRow{day,         count.version, count.edition, count.dimension,
                              count.value, delta};
              });
  writeCounts(runner_, pendingReports_, Q::kAddReports, Q::kDropEmptyReports, dayKeyRow);
  writeCounts(runner_, pendingCurrentTotals_, Q::kAddCurrentTotal, Q::kDropEmptyCurrentTotal,
              [](const std::pair<std::string, std::string>& key, std::int64_t delta) {
                return SqlRow{key.first, key.second, delta};
              });
  writeCounts(runner_, pendingDailyTotals_, Q::kAddDailyTotal, Q::kDropEmptyDailyTotal, dayKeyRow);
  writeCounts(runner_, pendingReportTotals_, Q::kAddReportsTotal, Q::kDropEmptyReportsTotal,
              [](std::int64_t day, std::int64_t delta) {
                return SqlRow{day, delta};
              });
  discard();
}

void SummaryWriter::discard() noexcept {
  expecting_ = false;
  installations_.clear();
  changedInstallations_.clear();
  days_.clear();
  changedDays_.clear();
  pendingCurrent_.clear();
  pendingDaily_.clear();
  pendingReports_.clear();
  pendingCurrentTotals_.clear();
  pendingDailyTotals_.clear();
  pendingReportTotals_.clear();
}

void SummaryWriter::store(const std::string& installation, const InstallationRow& before,
                          const InstallationRow& after) {
  const auto was = counted(before);
  const auto is = counted(after);
  for (const auto& key : was) {
    if (!is.contains(key)) addCurrent(key, -1);
  }
  for (const auto& key : is) {
    if (!was.contains(key)) addCurrent(key, +1);
  }
  if (expecting_) {
    installations_[installation] = after;
    changedInstallations_.insert(installation);
    return;
  }
  if (!after.exists) {
    if (before.exists) runner_.execute(SummaryQueries::kDeleteInstallation, {installation});
    return;
  }
  runner_.executeEach(SummaryQueries::kStoreInstallations, {}, {columnsOf(installation, after)});
}

void SummaryWriter::store(std::int64_t day, const std::string& installation, const DayRow& before,
                          const DayRow& after) {
  const auto was = counted(before);
  const auto is = counted(after);
  for (const auto& key : was) {
    if (!is.contains(key)) addDaily(day, key, -1);
  }
  for (const auto& key : is) {
    if (!was.contains(key)) addDaily(day, key, +1);
  }
  if (expecting_) {
    days_[{day, installation}] = after;
    changedDays_.insert({day, installation});
    return;
  }
  if (!after.exists) {
    if (before.exists) runner_.execute(SummaryQueries::kDeleteDay, {day, installation});
    return;
  }
  runner_.executeEach(SummaryQueries::kStoreDays, {}, {columnsOf(day, installation, after)});
}

void SummaryWriter::markFirstDay(std::int64_t day, const std::string& installation, bool first) {
  const auto before = loadDay(day, installation);
  if (!before.exists || before.firstDay == first) return;
  auto after = before;
  after.firstDay = first;
  store(day, installation, before, after);
}

void SummaryWriter::added(const ReceivedReport& report) {
  const std::string& id = report.installation;
  const std::int64_t at = report.receivedAt;
  const std::int64_t day = dayOf(at);
  const bool opted = report.telemetryEnabled || !report.initial;

  // The new report was stored last: at an equal time it is the latest.
  const auto before = loadInstallation(id);
  auto after = before;
  if (!before.exists) {
    after.exists = true;
    after.firstSeen = at;
    after.lastSeen = at;
  }
  if (!before.exists || at >= before.lastSeen) {
    after.version = report.productVersion;
    after.edition = report.edition;
    after.optedIn = opted;
    after.lastSeen = at;
  }
  if (!report.initial && (!before.hasFull || at >= before.lastFullAt)) {
    after.hasFull = true;
    after.lastFullAt = at;
    after.database = report.databaseVendor;
    after.appServer = report.applicationServerVendor;
    after.jdk = report.jdk;
    after.integrations = report.integrations;
    after.webapps = report.webapps;
  }
  after.firstSeen = std::min(after.firstSeen, at);
  store(id, before, after);

  const std::int64_t firstDay = dayOf(after.firstSeen);
  const auto dayBefore = loadDay(day, id);
  auto dayAfter = dayBefore;
  if (!dayBefore.exists || at >= dayBefore.lastAt) {
    dayAfter.exists = true;
    dayAfter.version = report.productVersion;
    dayAfter.edition = report.edition;
    dayAfter.database = report.databaseVendor;
    dayAfter.optedIn = opted;
    dayAfter.lastAt = at;
  }
  dayAfter.firstDay = day == firstDay;
  if (dayAfter.exists != dayBefore.exists || dayAfter.version != dayBefore.version ||
      dayAfter.edition != dayBefore.edition || dayAfter.database != dayBefore.database ||
      dayAfter.optedIn != dayBefore.optedIn || dayAfter.firstDay != dayBefore.firstDay ||
      dayAfter.lastAt != dayBefore.lastAt) {
    store(day, id, dayBefore, dayAfter);
  }
  // A late report from before the first one moves the first day back.
  if (before.exists && dayOf(before.firstSeen) != firstDay) {
    markFirstDay(dayOf(before.firstSeen), id, false);
  }
  addReports(day, report.productVersion, report.edition, +1);
}

std::vector<SummarizedReport> SummaryWriter::reportsOf(const std::string& installation) {
  std::vector<SummarizedReport> out;
  for (const auto& row : runner_.query(SummaryQueries::kReportsOf, {installation})) {
    out.push_back({SqlRunner::text(row[0]), SqlRunner::integer(row[1]), SqlRunner::text(row[2]),
                   SqlRunner::text(row[3])});
  }
  return out;
}

std::vector<SummarizedReport> SummaryWriter::oldest(std::int64_t before, std::int64_t limit) {
  std::vector<SummarizedReport> out;
  for (const auto& row : runner_.query(SummaryQueries::kOldest, {before, limit})) {
    out.push_back({SqlRunner::text(row[0]), SqlRunner::integer(row[1]), SqlRunner::text(row[2]),
                   SqlRunner::text(row[3])});
  }
  return out;
}

void SummaryWriter::removed(const std::vector<SummarizedReport>& reports) {
  std::map<std::tuple<std::int64_t, std::string, std::string>, std::int64_t> perDay;
  std::map<std::string, std::set<std::int64_t>> touched;
  for (const auto& report : reports) {
    ++perDay[{dayOf(report.receivedAt), report.version, report.edition}];
    touched[report.installation].insert(dayOf(report.receivedAt));
  }
  for (const auto& [key, count] : perDay) {
    addReports(std::get<0>(key), std::get<1>(key), std::get<2>(key), -count);
  }
  for (auto& [installation, days] : touched) refresh(installation, std::move(days));
  flush();
}

void SummaryWriter::refresh(const std::string& installation, std::set<std::int64_t> days) {
  const auto before = loadInstallation(installation);
  InstallationRow after;
  const auto latest = runner_.query(SummaryQueries::kLatestReport, {installation});
  if (!latest.empty()) {
    const auto& row = latest.front();
    after.exists = true;
    after.version = SqlRunner::text(row[0]);
    after.edition = SqlRunner::text(row[1]);
    after.optedIn = optedIn(SqlRunner::text(row[2]), SqlRunner::integer(row[3]));
    after.lastSeen = SqlRunner::integer(row[4]);
    const auto first = runner_.query(SummaryQueries::kFirstReport,
                                     {installation, std::numeric_limits<std::int64_t>::min()});
    after.firstSeen = SqlRunner::integer(first.front()[0]);
    const auto full = runner_.query(SummaryQueries::kLatestFullReport, {installation});
    if (!full.empty()) {
      const auto& f = full.front();
      after.hasFull = true;
      after.database = SqlRunner::text(f[0]);
      after.appServer = SqlRunner::text(f[1]);
      after.jdk = SqlRunner::text(f[2]);
      after.integrations = SqlRunner::text(f[3]);
      after.webapps = SqlRunner::text(f[4]);
      after.lastFullAt = SqlRunner::integer(f[5]);
    }
  }
  store(installation, before, after);

  if (before.exists) days.insert(dayOf(before.firstSeen));
  if (after.exists) days.insert(dayOf(after.firstSeen));
  for (const auto day : days) {
    const auto dayBefore = loadDay(day, installation);
    DayRow dayAfter;
    const auto rows = runner_.query(SummaryQueries::kLatestReportOfDay,
                                    {installation, day * SummaryQueries::kSecondsPerDay,
                                     (day + 1) * SummaryQueries::kSecondsPerDay});
    if (!rows.empty()) {
      const auto& row = rows.front();
      dayAfter.exists = true;
      dayAfter.version = SqlRunner::text(row[0]);
      dayAfter.edition = SqlRunner::text(row[1]);
      dayAfter.optedIn = optedIn(SqlRunner::text(row[2]), SqlRunner::integer(row[3]));
      dayAfter.database = SqlRunner::text(row[4]);
      dayAfter.lastAt = SqlRunner::integer(row[5]);
      dayAfter.firstDay = after.exists && day == dayOf(after.firstSeen);
    }
    store(day, installation, dayBefore, dayAfter);
  }
}

void SummaryWriter::expire(std::int64_t before) {
  if (before % SummaryQueries::kSecondsPerDay != 0) {
    throw std::invalid_argument("summaries expire on whole UTC days, not at " +
                                std::to_string(before));
  }
  const std::int64_t firstKeptDay = dayOf(before);
  runner_.execute(SummaryQueries::kExpireDailyReports, {firstKeptDay});
  runner_.execute(SummaryQueries::kExpireDailyCounts, {firstKeptDay});
  runner_.execute(SummaryQueries::kExpireDailyActivity, {firstKeptDay});
  runner_.execute(SummaryQueries::kExpireDailyTotals, {firstKeptDay});
  runner_.execute(SummaryQueries::kExpireDailyReportTotals, {firstKeptDay});
  for (const auto& row : runner_.query(SummaryQueries::kInstallationsSeenBefore, {before})) {
    const std::string installation = SqlRunner::text(row[0]);
    const auto was = installationFrom(row, 1);
    auto is = was;
    const auto first = runner_.query(SummaryQueries::kFirstReport, {installation, before});
    if (was.lastSeen < before || std::holds_alternative<std::monostate>(first.front()[0])) {
      is = InstallationRow{};
    } else {
      is.firstSeen = SqlRunner::integer(first.front()[0]);
      if (was.hasFull && was.lastFullAt < before) {
        is.hasFull = false;
        is.lastFullAt = 0;
        is.database.clear();
        is.appServer.clear();
        is.jdk.clear();
        is.integrations.clear();
        is.webapps.clear();
      }
    }
    store(installation, was, is);
    // Its old first day is gone with the days before `before`; the new one is kept.
    if (is.exists) markFirstDay(dayOf(is.firstSeen), installation, true);
  }
  flush();
}

}  // namespace telemetry::collector
