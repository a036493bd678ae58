// The summaries' SQL, written once with '?' placeholders for both backends, and here only, so
// that tests explain the statements that run.
#pragma once

#include <cstdint>

namespace telemetry::collector {

struct SummaryQueries {
  /// A summary day is a UTC day: epoch seconds / 86400, as the queries below compute it.
  static constexpr std::int64_t kSecondsPerDay = 86400;

  // --- the writer: one installation's or one day's row, and the counts they feed
  static constexpr const char* kInstallation =
      "SELECT version, edition, opted_in, first_seen, last_seen, has_full, last_full_at,"
      " database_vendor, app_server, jdk, integrations, webapps"
      " FROM installations WHERE installation = ?";
  // A batch's rows (SqlRunner::kRows), each installation once.
  static constexpr const char* kStoreInstallations =
      "INSERT INTO installations (installation, version, edition, opted_in, first_seen,"
      " last_seen, has_full, last_full_at, database_vendor, app_server, jdk, integrations,"
      " webapps) VALUES ?*"
      " ON CONFLICT (installation) DO UPDATE SET version = excluded.version,"
      " edition = excluded.edition, opted_in = excluded.opted_in,"
      " first_seen = excluded.first_seen, last_seen = excluded.last_seen,"
      " has_full = excluded.has_full, last_full_at = excluded.last_full_at,"
      " database_vendor = excluded.database_vendor, app_server = excluded.app_server,"
      " jdk = excluded.jdk, integrations = excluded.integrations, webapps = excluded.webapps";
  // The rows a batch of reports touches, read at once (SummaryWriter::expect).
  static constexpr const char* kInstallationsAmong =
      "SELECT installation, version, edition, opted_in, first_seen, last_seen, has_full,"
      " last_full_at, database_vendor, app_server, jdk, integrations, webapps"
      " FROM installations WHERE installation IN (?*)";
  static constexpr const char* kDaysAmong =
      "SELECT installation, version, edition, database_vendor, opted_in, first_day, last_at"
      " FROM daily_activity WHERE day = ? AND installation IN (?*)";
  static constexpr const char* kDeleteInstallation =
      "DELETE FROM installations WHERE installation = ?";
  static constexpr const char* kDay =
      "SELECT version, edition, database_vendor, opted_in, first_day, last_at"
      " FROM daily_activity WHERE day = ? AND installation = ?";
  static constexpr const char* kStoreDays =
      "INSERT INTO daily_activity (day, installation, version, edition, database_vendor,"
      " opted_in, first_day, last_at) VALUES ?*"
      " ON CONFLICT (day, installation) DO UPDATE SET version = excluded.version,"
      " edition = excluded.edition, database_vendor = excluded.database_vendor,"
      " opted_in = excluded.opted_in, first_day = excluded.first_day, last_at = excluded.last_at";
  static constexpr const char* kDeleteDay =
      "DELETE FROM daily_activity WHERE day = ? AND installation = ?";
  // Count changes, many keys a statement: "?*" stands for (key columns..., change) rows. A
  // value nobody has any more leaves, so the tables hold only what is counted: the drop
  // statements' "?*" stands for the keys a batch lowered, found by the primary key (an index
  // on the count itself would cost PostgreSQL its in-page updates of every count).
  static constexpr const char* kAddCurrent =
      "INSERT INTO current_counts (version, edition, dimension, value, installations)"
      " VALUES ?* ON CONFLICT (version, edition, dimension, value)"
      " DO UPDATE SET installations = current_counts.installations + excluded.installations";
  static constexpr const char* kDropEmptyCurrent =
      "DELETE FROM current_counts WHERE installations <= 0"
      " AND (version, edition, dimension, value) IN (VALUES ?*)";
  static constexpr const char* kAddDaily =
      "INSERT INTO daily_counts (day, version, edition, dimension, value, installations)"
      " VALUES ?* ON CONFLICT (day, version, edition, dimension, value)"
      " DO UPDATE SET installations = daily_counts.installations + excluded.installations";
  static constexpr const char* kDropEmptyDaily =
      "DELETE FROM daily_counts WHERE installations <= 0"
      " AND (day, version, edition, dimension, value) IN (VALUES ?*)";
  static constexpr const char* kAddReports =
      "INSERT INTO daily_reports (day, version, edition, reports) VALUES ?*"
      " ON CONFLICT (day, version, edition)"
      " DO UPDATE SET reports = daily_reports.reports + excluded.reports";
  static constexpr const char* kDropEmptyReports =
      "DELETE FROM daily_reports WHERE reports <= 0"
      " AND (day, version, edition) IN (VALUES ?*)";
  // The same counts summed over every version and edition, for the unfiltered dashboard;
  // current_totals also counts installations per version and per edition, daily_totals the
  // active ones per version (dimension 'version').
  static constexpr const char* kAddCurrentTotal =
      "INSERT INTO current_totals (dimension, value, installations) VALUES ?*"
      " ON CONFLICT (dimension, value)"
      " DO UPDATE SET installations = current_totals.installations + excluded.installations";
  static constexpr const char* kDropEmptyCurrentTotal =
      "DELETE FROM current_totals WHERE installations <= 0"
      " AND (dimension, value) IN (VALUES ?*)";
  static constexpr const char* kAddDailyTotal =
      "INSERT INTO daily_totals (day, dimension, value, installations) VALUES ?*"
      " ON CONFLICT (day, dimension, value)"
      " DO UPDATE SET installations = daily_totals.installations + excluded.installations";
  static constexpr const char* kDropEmptyDailyTotal =
      "DELETE FROM daily_totals WHERE installations <= 0"
      " AND (day, dimension, value) IN (VALUES ?*)";
  static constexpr const char* kAddReportsTotal =
      "INSERT INTO daily_report_totals (day, reports) VALUES ?* ON CONFLICT (day)"
      " DO UPDATE SET reports = daily_report_totals.reports + excluded.reports";
  static constexpr const char* kDropEmptyReportsTotal =
      "DELETE FROM daily_report_totals WHERE reports <= 0 AND day IN (VALUES ?*)";

  // --- the writer after deletions: what the kept reports say (latest = received last, then
  // stored last)
  static constexpr const char* kLatestReport =
      "SELECT product_version, edition, kind, telemetry_enabled, received_at FROM reports"
      " WHERE installation = ? ORDER BY received_at DESC, id DESC LIMIT 1";
  static constexpr const char* kLatestFullReport =
      "SELECT database_vendor, app_server_vendor, jdk, integrations, webapps, received_at"
      " FROM reports WHERE installation = ? AND kind = 'full'"
      " ORDER BY received_at DESC, id DESC LIMIT 1";
  static constexpr const char* kFirstReport =
      "SELECT MIN(received_at) FROM reports WHERE installation = ? AND received_at >= ?";
  static constexpr const char* kLatestReportOfDay =
      "SELECT product_version, edition, kind, telemetry_enabled, database_vendor, received_at"
      " FROM reports WHERE installation = ? AND received_at >= ? AND received_at < ?"
      " ORDER BY received_at DESC, id DESC LIMIT 1";
  static constexpr const char* kReportsOf =
      "SELECT installation, received_at, product_version, edition FROM reports"
      " WHERE installation = ?";
  // The same rows, in the same order, as ReportQueries::kDeleteExpiredChunk deletes.
  static constexpr const char* kOldest =
      "SELECT installation, received_at, product_version, edition FROM reports"
      " WHERE received_at < ? ORDER BY received_at, id LIMIT ?";

  // --- retention by whole days (expire)
  static constexpr const char* kExpireDailyReports = "DELETE FROM daily_reports WHERE day < ?";
  static constexpr const char* kExpireDailyCounts = "DELETE FROM daily_counts WHERE day < ?";
  static constexpr const char* kExpireDailyActivity = "DELETE FROM daily_activity WHERE day < ?";
  static constexpr const char* kExpireDailyTotals = "DELETE FROM daily_totals WHERE day < ?";
  static constexpr const char* kExpireDailyReportTotals =
      "DELETE FROM daily_report_totals WHERE day < ?";
  static constexpr const char* kInstallationsSeenBefore =
      "SELECT installation, version, edition, opted_in, first_seen, last_seen, has_full,"
      " last_full_at, database_vendor, app_server, jdk, integrations, webapps"
      " FROM installations WHERE first_seen < ?";

  // --- rebuild-summaries: every table from the reports, in one transaction
  static constexpr const char* kSummaryTables[] = {
      "installations", "current_counts", "daily_activity", "daily_counts", "daily_reports"};
  static constexpr const char* kRebuildInstallations =
      "INSERT INTO installations (installation, version, edition, opted_in, first_seen,"
      " last_seen, has_full, last_full_at, database_vendor, app_server, jdk, integrations,"
      " webapps)"
      " SELECT l.installation, l.product_version, l.edition,"
      " CASE WHEN l.kind = 'full' OR l.telemetry_enabled = 1 THEN 1 ELSE 0 END,"
      " l.first_seen, l.received_at, CASE WHEN f.installation IS NULL THEN 0 ELSE 1 END,"
      " COALESCE(f.received_at, 0), COALESCE(f.database_vendor, ''),"
      " COALESCE(f.app_server_vendor, ''), COALESCE(f.jdk, ''), COALESCE(f.integrations, ''),"
      " COALESCE(f.webapps, '')"
      " FROM (SELECT installation, product_version, edition, kind, telemetry_enabled,"
      " received_at, MIN(received_at) OVER (PARTITION BY installation) AS first_seen,"
      " ROW_NUMBER() OVER (PARTITION BY installation ORDER BY received_at DESC, id DESC) AS n"
      " FROM reports) l"
      " LEFT JOIN (SELECT installation, received_at, database_vendor, app_server_vendor, jdk,"
      " integrations, webapps,"
      " ROW_NUMBER() OVER (PARTITION BY installation ORDER BY received_at DESC, id DESC) AS n"
      " FROM reports WHERE kind = 'full') f ON f.installation = l.installation AND f.n = 1"
      " WHERE l.n = 1";
  static constexpr const char* kRebuildDailyActivity =
      "INSERT INTO daily_activity (day, installation, version, edition, database_vendor,"
      " opted_in, first_day, last_at)"
      " SELECT d.day, d.installation, d.product_version, d.edition, d.database_vendor,"
      " CASE WHEN d.kind = 'full' OR d.telemetry_enabled = 1 THEN 1 ELSE 0 END,"
      " CASE WHEN d.day = i.first_seen / 86400 THEN 1 ELSE 0 END, d.received_at"
      " FROM (SELECT received_at / 86400 AS day, installation, product_version, edition,"
      " database_vendor, kind, telemetry_enabled, received_at,"
      " ROW_NUMBER() OVER (PARTITION BY installation, received_at / 86400"
      " ORDER BY received_at DESC, id DESC) AS n FROM reports) d"
      " JOIN installations i ON i.installation = d.installation WHERE d.n = 1";
  static constexpr const char* kRebuildDailyCounts =
      "INSERT INTO daily_counts (day, version, edition, dimension, value, installations)"
      " SELECT day, version, edition, 'active', '', COUNT(*) FROM daily_activity"
      " GROUP BY day, version, edition"
      " UNION ALL SELECT day, version, edition, 'opted-in', '', COUNT(*) FROM daily_activity"
      " WHERE opted_in = 1 GROUP BY day, version, edition"
      " UNION ALL SELECT day, version, edition, 'new', '', COUNT(*) FROM daily_activity"
      " WHERE first_day = 1 GROUP BY day, version, edition"
      " UNION ALL SELECT day, version, edition, 'database', database_vendor, COUNT(*)"
      " FROM daily_activity WHERE database_vendor <> ''"
      " GROUP BY day, version, edition, database_vendor";
  static constexpr const char* kRebuildCurrentCounts =
      "INSERT INTO current_counts (version, edition, dimension, value, installations)"
      " SELECT version, edition, 'installations', '', COUNT(*) FROM installations"
      " GROUP BY version, edition"
      " UNION ALL SELECT version, edition, 'opted-in', '', COUNT(*) FROM installations"
      " WHERE opted_in = 1 GROUP BY version, edition"
      " UNION ALL SELECT version, edition, 'full', '', COUNT(*) FROM installations"
      " WHERE has_full = 1 GROUP BY version, edition"
      " UNION ALL SELECT version, edition, 'database', database_vendor, COUNT(*)"
      " FROM installations WHERE database_vendor <> '' GROUP BY version, edition, database_vendor"
      " UNION ALL SELECT version, edition, 'app-server', app_server, COUNT(*)"
      " FROM installations WHERE app_server <> '' GROUP BY version, edition, app_server"
      " UNION ALL SELECT version, edition, 'jdk', jdk, COUNT(*)"
      " FROM installations WHERE jdk <> '' GROUP BY version, edition, jdk";
  // Lists are split in C++ (ListColumn's escaping), so they are read here.
  static constexpr const char* kInstallationLists =
      "SELECT version, edition, integrations, webapps FROM installations"
      " WHERE integrations <> '' OR webapps <> ''";
  static constexpr const char* kRebuildDailyReports =
      "INSERT INTO daily_reports (day, version, edition, reports)"
      " SELECT received_at / 86400, product_version, edition, COUNT(*) FROM reports"
      " GROUP BY received_at / 86400, product_version, edition";
  // The summed tables from the per-version ones (rebuild-summaries, and migration 6 on a
  // store that has those already).
  static constexpr const char* kTotalTables[] = {"current_totals", "daily_totals",
                                                 "daily_report_totals"};
  static constexpr const char* kRebuildCurrentTotals =
      "INSERT INTO current_totals (dimension, value, installations)"
      " SELECT dimension, value, CAST(SUM(installations) AS BIGINT) FROM current_counts"
      " GROUP BY dimension, value"
      " UNION ALL SELECT 'version', version, CAST(SUM(installations) AS BIGINT)"
      " FROM current_counts WHERE dimension = 'installations' GROUP BY version"
      " UNION ALL SELECT 'edition', edition, CAST(SUM(installations) AS BIGINT)"
      " FROM current_counts WHERE dimension = 'installations' GROUP BY edition";
  static constexpr const char* kRebuildDailyTotals =
      "INSERT INTO daily_totals (day, dimension, value, installations)"
      " SELECT day, dimension, value, CAST(SUM(installations) AS BIGINT) FROM daily_counts"
      " GROUP BY day, dimension, value"
      " UNION ALL SELECT day, 'version', version, CAST(SUM(installations) AS BIGINT)"
      " FROM daily_counts WHERE dimension = 'active' GROUP BY day, version";
  static constexpr const char* kRebuildDailyReportTotals =
      "INSERT INTO daily_report_totals (day, reports)"
      " SELECT day, CAST(SUM(reports) AS BIGINT) FROM daily_reports GROUP BY day";
};

}  // namespace telemetry::collector
