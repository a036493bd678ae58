// Keeps the dashboard's summary tables in step with the stored reports, inside the
// transaction that changes the reports (docs/collector.md, "Summaries").
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "report/received_report.hpp"
#include "sql/sql_runner.hpp"

namespace telemetry::collector {

/// A stored report as the summaries remember it, for deletions.
struct SummarizedReport {
  std::string installation;
  std::int64_t receivedAt = 0;
  std::string version;
  std::string edition;
};

/// Every method runs inside the caller's write transaction, on the connection that changes
/// the reports, so that the summaries commit (or roll back) with them. An installation's
/// current values are those of its latest report (received last, then stored last), its
/// database, application server, JDK, integrations and webapps those of its latest full
/// report; a day's values are those of the installation's latest report that day (UTC).
class SummaryWriter {
 public:
  explicit SummaryWriter(SqlRunner& runner) : runner_(runner) {}

  /// Before the added() of a batch of reports: loads the installation and day rows they
  /// touch in a few statements; until flush(), those rows are read and changed in memory.
  void expect(const std::vector<ReceivedReport>& reports);
  /// After `report` was inserted. Its count changes wait in memory for flush().
  void added(const ReceivedReport& report);
  /// Writes the count changes kept in memory, and the rows of an expected batch (multi-row
  /// statements); call it before the transaction commits.
  void flush();
  /// Forgets them; call it when the transaction rolled back. Never throws.
  void discard() noexcept;
  /// The stored reports of `installation`, read before they are deleted.
  std::vector<SummarizedReport> reportsOf(const std::string& installation);
  /// The `limit` oldest reports received before `before` (epoch seconds), oldest first: the
  /// ones ReportQueries::kDeleteExpiredChunk deletes with the same arguments.
  std::vector<SummarizedReport> oldest(std::int64_t before, std::int64_t limit);
  /// After `reports` (read as above) were deleted: recomputes what they touched from the
  /// reports kept, and flushes.
  void removed(const std::vector<SummarizedReport>& reports);
  /// The summaries' side of deleting every report received before `before`, a whole UTC day
  /// (epoch seconds divisible by 86400; std::invalid_argument otherwise): days before it
  /// leave, installations without a later report leave, first-seen moves to the first kept
  /// report. Cost: the installations first seen before `before`, not their reports. It reads
  /// only reports received from `before` on, so it may run before or after they are deleted
  /// (a partition dropped), in the same transaction.
  void expire(std::int64_t before);

  /// One dimension's value counted for installations of one product version and edition.
  struct CountKey {
    std::string version;
    std::string edition;
    std::string dimension;
    std::string value;
    auto operator<=>(const CountKey&) const = default;
  };

 private:
  struct InstallationRow {
    bool exists = false;
    std::string version, edition;
    bool optedIn = false;
    std::int64_t firstSeen = 0, lastSeen = 0;
    bool hasFull = false;
    std::int64_t lastFullAt = 0;
    std::string database, appServer, jdk, integrations, webapps;
  };
  struct DayRow {
    bool exists = false;
    std::string version, edition, database;
    bool optedIn = false;
    bool firstDay = false;
    std::int64_t lastAt = 0;
  };

  static std::set<CountKey> counted(const InstallationRow& row);
  static std::set<CountKey> counted(const DayRow& row);
  static InstallationRow installationFrom(const SqlRow& row, std::size_t first);
  static DayRow dayFrom(const SqlRow& row, std::size_t first);
  static SqlRow columnsOf(const std::string& installation, const InstallationRow& row);
  static SqlRow columnsOf(std::int64_t day, const std::string& installation, const DayRow& row);
  /// Writes the expected batch's changed rows.
  void storeExpected();

  InstallationRow loadInstallation(const std::string& installation);
  DayRow loadDay(std::int64_t day, const std::string& installation);
  void store(const std::string& installation, const InstallationRow& before,
             const InstallationRow& after);
  void store(std::int64_t day, const std::string& installation, const DayRow& before,
             const DayRow& after);
  void addCurrent(const CountKey& key, std::int64_t delta);
  void addDaily(std::int64_t day, const CountKey& key, std::int64_t delta);
  void addReports(std::int64_t day, const std::string& version, const std::string& edition,
                  std::int64_t delta);
  /// Recomputes one installation, and the given days of it, from its kept reports.
  void refresh(const std::string& installation, std::set<std::int64_t> days);
  /// Sets whether `day` is the installation's first day, if it has a row that day.
  void markFirstDay(std::int64_t day, const std::string& installation, bool first);

  SqlRunner& runner_;
  // An expected batch's rows, read once and written by flush(); `expecting_` while they are.
  bool expecting_ = false;
  std::map<std::string, InstallationRow> installations_;
  std::set<std::string> changedInstallations_;
  std::map<std::pair<std::int64_t, std::string>, DayRow> days_;
  std::set<std::pair<std::int64_t, std::string>> changedDays_;
  std::map<CountKey, std::int64_t> pendingCurrent_;
  std::map<std::pair<std::int64_t, CountKey>, std::int64_t> pendingDaily_;
  std::map<std::tuple<std::int64_t, std::string, std::string>, std::int64_t> pendingReports_;
  // The same changes summed over versions and editions: (dimension, value), (day, dimension,
  // value) and day.
  std::map<std::pair<std::string, std::string>, std::int64_t> pendingCurrentTotals_;
  std::map<std::tuple<std::int64_t, std::string, std::string>, std::int64_t> pendingDailyTotals_;
  std::map<std::int64_t, std::int64_t> pendingReportTotals_;
};

}  // namespace telemetry::collector
