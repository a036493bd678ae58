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
  // Retention: the oldest expired reports, one chunk (SummaryQueries::kOldest reads them).
  static constexpr const char* kDeleteOldest =
      "DELETE FROM reports WHERE id IN (SELECT id FROM reports"
      " WHERE received_at < ? ORDER BY received_at, id LIMIT ?)";
  static constexpr const char* kReportCount = "SELECT COUNT(*) FROM reports";
  static constexpr const char* kRecordDeletion =
      "INSERT INTO deleted_installations (installation, deleted_at) VALUES (?, ?)"
      " ON CONFLICT (installation) DO NOTHING";
};

}  // namespace telemetry::collector
