// The SQL the store runs, written once with '?' placeholders for every backend (SqlDialect
// adapts it to PostgreSQL), and here only, so that tests explain the queries that run.
#pragma once

namespace telemetry::collector {

struct ReportQueries {
  // The index on the key is partial (non-empty keys only); without repeating its condition
  // SQLite cannot use it and scans every stored report for each new one.
  static constexpr const char* kSameIdempotencyKey =
      "SELECT 1 FROM reports WHERE idempotency_key = ? AND idempotency_key <> '' LIMIT 1";
  static constexpr const char* kSameIdempotencyKeyAndPayload =
      "SELECT 1 FROM reports WHERE idempotency_key = ? AND idempotency_key <> ''"
      " AND payload_digest = ? LIMIT 1";
  static constexpr const char* kInitialAlreadyStored =
      "SELECT 1 FROM reports WHERE installation = ? AND kind = 'initial' LIMIT 1";
  static constexpr const char* kSamePayloadInWindow =
      "SELECT 1 FROM reports WHERE installation = ? AND payload_digest = ? AND ip_hash = ?"
      " AND received_at >= ? LIMIT 1";
  static constexpr const char* kInsert =
      "INSERT INTO reports (received_at, installation, kind, ip_hash,"
      " payload_digest, idempotency_key, product_version, edition,"
      " telemetry_enabled, database_vendor, app_server_vendor, jdk,"
      " integrations, webapps, payload)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static constexpr const char* kMarkChecked = "UPDATE store_health SET checked_at = ? WHERE id = 1";
  // Deletion on request: a deleted installation's reports go, and so do its late ones.
  static constexpr const char* kInstallationDeleted =
      "SELECT 1 FROM deleted_installations WHERE installation = ? LIMIT 1";
  static constexpr const char* kDeleteReportsOf = "DELETE FROM reports WHERE installation = ?";
  static constexpr const char* kReportCount = "SELECT COUNT(*) FROM reports";
  static constexpr const char* kRecordDeletion =
      "INSERT INTO deleted_installations (installation, deleted_at) VALUES (?, ?)"
      " ON CONFLICT (installation) DO NOTHING";
  // Retention: a chunk of the oldest expired reports, in the order SummaryQueries::kOldest
  // reads them (the summaries are recomputed for exactly those).
  static constexpr const char* kDeleteExpiredChunk =
      "DELETE FROM reports WHERE id IN (SELECT id FROM reports"
      " WHERE received_at < ? ORDER BY received_at, id LIMIT ?)";
  // The same on a partitioned table, with the bound on the partition key outside the
  // subquery too, so that only the partitions that can hold expired reports are searched.
  static constexpr const char* kDeleteExpiredChunkPartitioned =
      "DELETE FROM reports WHERE received_at < ? AND (id, received_at) IN"
      " (SELECT id, received_at FROM reports WHERE received_at < ?"
      " ORDER BY received_at, id LIMIT ?)";
  static constexpr const char* kOldestReport = "SELECT MIN(received_at) FROM reports";
};

/// PostgreSQL's reports table is partitioned by month, and a unique index there would have
/// to include the month: the idempotency keys and initial reports are claimed in small
/// unpartitioned tables instead, in the transaction that stores the report, and the
/// duplicate checks read those (by their primary keys).
struct ClaimQueries {
  static constexpr const char* kSameIdempotencyKey =
      "SELECT 1 FROM report_keys WHERE idempotency_key = ? LIMIT 1";
  static constexpr const char* kSameIdempotencyKeyAndPayload =
      "SELECT 1 FROM report_keys WHERE idempotency_key = ? AND payload_digest = ? LIMIT 1";
  static constexpr const char* kInitialAlreadyStored =
      "SELECT 1 FROM initial_reports WHERE installation = ? LIMIT 1";
  static constexpr const char* kClaimKey =
      "INSERT INTO report_keys (idempotency_key, payload_digest, installation, received_at)"
      " VALUES (?, ?, ?, ?)";
  static constexpr const char* kClaimInitial =
      "INSERT INTO initial_reports (installation, received_at) VALUES (?, ?)";
  static constexpr const char* kReleaseKeysOf = "DELETE FROM report_keys WHERE installation = ?";
  static constexpr const char* kReleaseInitialOf =
      "DELETE FROM initial_reports WHERE installation = ?";
  // Retention: claims of reports received before ? (all gone), a chunk at a time.
  static constexpr const char* kReleaseExpiredKeys =
      "DELETE FROM report_keys WHERE idempotency_key IN (SELECT idempotency_key"
      " FROM report_keys WHERE received_at < ? LIMIT ?)";
  static constexpr const char* kReleaseExpiredInitials =
      "DELETE FROM initial_reports WHERE installation IN (SELECT installation"
      " FROM initial_reports WHERE received_at < ? LIMIT ?)";
};

/// The spool's batch on PostgreSQL: what the duplicate checks of all its reports read, loaded
/// at once (SqlRunner::kRows stands for the rows, chunked under PostgreSQL's limit of bound
/// parameters), and its reports and claims sent with one COPY each.
struct BatchQueries {
  static constexpr const char* kDeletedAmong =
      "SELECT installation FROM deleted_installations WHERE installation IN (?*)";
  static constexpr const char* kKeysAmong =
      "SELECT idempotency_key, payload_digest FROM report_keys WHERE idempotency_key IN (?*)";
  static constexpr const char* kInitialsAmong =
      "SELECT installation FROM initial_reports WHERE installation IN (?*)";
  static constexpr const char* kPayloadsAmong =
      "SELECT installation, payload_digest, ip_hash, MAX(received_at) FROM reports"
      " WHERE installation IN (?*) AND received_at >= ?"
      " GROUP BY installation, payload_digest, ip_hash";
  // Through PostgresCopy, the columns in the order of ReportQueries::kInsert and
  // ClaimQueries::kClaimKey/kClaimInitial. Rows are numbered (id) in the order they are
  // sent: stored last is still latest.
  static constexpr const char* kCopyReports =
      "COPY reports (received_at, installation, kind, ip_hash,"
      " payload_digest, idempotency_key, product_version, edition,"
      " telemetry_enabled, database_vendor, app_server_vendor, jdk,"
      " integrations, webapps, payload) FROM STDIN";
  static constexpr const char* kCopyKeys =
      "COPY report_keys (idempotency_key, payload_digest, installation, received_at) FROM STDIN";
  static constexpr const char* kCopyInitials =
      "COPY initial_reports (installation, received_at) FROM STDIN";
};

}  // namespace telemetry::collector
