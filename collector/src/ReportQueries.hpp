// The SQL the store's writer runs, written once with '?' placeholders for every backend
// (SqlDialect adapts it to PostgreSQL).
#pragma once

namespace telemetry::collector {

struct ReportQueries {
  // The index on the key is partial (non-empty keys only); without repeating its condition
  // SQLite cannot use it and scans every stored report for each new one.
  static constexpr const char* kSameIdempotencyKey =
      "SELECT 1 FROM reports WHERE idempotency_key = ? AND idempotency_key <> '' LIMIT 1";
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
};

}  // namespace telemetry::collector
