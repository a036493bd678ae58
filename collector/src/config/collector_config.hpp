// The collector's typed configuration, read from collector.yaml (see docs/collector.md).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "telemetry/settings/config_error.hpp"

namespace telemetry::collector {

/// A configuration mistake the operator can fix; the message names file, line and key.
using ConfigError = settings::ConfigError;

/// Every key of collector.yaml with its default; relative paths are resolved against the
/// directory of the configuration file so a service manager's working directory is irrelevant.
class CollectorConfig {
 public:
  std::string listenHost = "127.0.0.1";
  unsigned short listenPort = 8443;
  std::filesystem::path tlsCert;
  std::filesystem::path tlsKey;
  bool plainHttp = false;
  std::vector<std::string> trustedProxies;  // addresses or CIDR blocks
  std::string store = "collector.db";       // SQLite file path or postgresql:// URL
  // `store-read`: a read replica of a PostgreSQL store for the dashboard; empty: `store`.
  std::string storeRead;
  // The single IP hash key of earlier versions: imported into ipKeyFile, then deleted.
  std::filesystem::path secretFile = "collector.secret";
  // `ip-hash`: rotated keys for the IP hashes (docs/collector.md, "Privacy").
  std::filesystem::path ipKeyFile = "collector.ip-keys";
  std::chrono::milliseconds ipKeyRotation = std::chrono::hours(24);
  std::chrono::milliseconds ipKeyKeepPrevious = std::chrono::hours(24);
  std::filesystem::path schemaFile;  // empty: the installed report.schema.json
  std::size_t maxBody = 64 * 1024;
  std::chrono::seconds dedupWindow = std::chrono::hours(24);
  std::chrono::seconds retention{0};  // reports older than this are deleted; 0: kept forever
  unsigned ratePerMinute = 60;
  unsigned rateBurst = 10;
  // `connections`: the HTTP server's limits (docs/collector.md, "Connections").
  std::size_t maxConnections = 4096;
  std::chrono::seconds requestTimeout{15};    // to send a request's head or body
  std::chrono::seconds keepAliveTimeout{10};  // between two requests on a keep-alive connection
  std::size_t networkThreads = 0;             // 0: one per CPU
  std::string logLevel = "info";
  // `spool`: where accepted reports wait for the store (docs/collector.md, "Spool").
  std::filesystem::path spoolDirectory = "collector.spool";
  std::uint64_t spoolMaxSize = 1ULL << 30;
  std::uint64_t spoolSegmentSize = 16ULL << 20;
  std::size_t drainBatch = 4096;  // reports per store transaction
  // `admin-token-file`: the bearer token of POST /imports, read at load; empty (no file):
  // uploads are refused. Never logged.
  std::filesystem::path adminTokenFile;
  std::string adminToken;
  static constexpr std::size_t kMinAdminToken = 32;

  /// Reads and validates a YAML file; throws ConfigError.
  static CollectorConfig fromFile(const std::filesystem::path& file);
  /// Parses YAML text; `origin` names the file in messages and anchors relative paths.
  static CollectorConfig fromYaml(const std::string& text, const std::filesystem::path& origin);

  /// "host:port" as configured (port 0 means any free port).
  std::string listenAddress() const;
  /// True when `store` is a PostgreSQL URL rather than an SQLite file.
  bool storeIsPostgres() const;

  /// "64KiB", "1MiB", "1GiB", "65536".
  static std::size_t parseSize(const std::string& text);
};

}  // namespace telemetry::collector
