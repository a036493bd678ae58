// The host configuration (telemetry.yaml), typed, with the defaults of CONTRACT.md.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "telemetry/plugin/needs.hpp"

namespace telemetry {

using Duration = std::chrono::milliseconds;

enum class Edition { community, enterprise };
enum class HistoryLevel { none, activity, audit, full };
enum class Isolation {
  process,
  inProcess,
  in_process = inProcess,  ///< the spelling of TelemetryHost 1.0, until the SDK's next major
};

struct ProductConfig {
  std::string name = "Camunda BPM Runtime";
  std::string version = "7.14.0";
  Edition edition = Edition::community;
};

struct TelemetryConfig {
  bool reporterActivate = true;
  /// The opt-in written when the state store is created; unset: nobody decided yet, which
  /// sends no more than `false` but lets the admin page ask.
  std::optional<bool> initialize;
  std::string endpoint = "https://telemetry.example.org/pings";
  std::string caFile;
  Duration reportingPeriod = std::chrono::hours(24);
  Duration requestTimeout = std::chrono::seconds(15);
  int requestRetries = 2;
  std::string proxy;
  /// Send reports with Content-Encoding: gzip (collectors of this version accept it; an
  /// older one's 400 or a 415 makes the host resend at once uncompressed).
  bool compress = false;
  /// `telemetry run` without REST API or StatsD listener: when nothing is due for this
  /// long, wait in the small telemetry-idle image instead (0: never).
  Duration hibernate = std::chrono::minutes(10);
};

struct StateConfig {
  std::string path = "telemetry-state.db";  ///< SQLite file or postgresql:// URL
  std::string auditLog = "telemetry-sent.jsonl";
};

struct UsageConfig {
  HistoryLevel historyLevel = HistoryLevel::full;
  /// HOST:PORT of the StatsD UDP listener, a loopback address; empty = no listener.
  std::string statsdListen;
  /// Distinct task workers per 24 h counted exactly; beyond, a HyperLogLog estimate.
  int exactTaskWorkers = 100000;
  /// How often counts held in memory (StatsD, REST, embedding) are stored: what kill -9
  /// can lose at most.
  Duration checkpointInterval = std::chrono::minutes(1);
};

/// One entry of `plugins.enabled`.
struct EnabledPlugin {
  std::string name;
  std::string settingsJson = "{}";  ///< the YAML `settings` mapping as a JSON object
  int line = 0;                     ///< where it is configured, for messages
};

struct PluginsConfig {
  /// Empty means the built-in plugin directory (see defaultPluginDirectory()).
  std::vector<std::filesystem::path> paths;
  Isolation isolation = Isolation::process;
  Duration timeout = std::chrono::seconds(10);
  bool allowUnsafe = false;
  std::vector<EnabledPlugin> enabled;
  /// `probe-helper`: the telemetry-probe executable; empty means it is looked for (see
  /// ProcessProbeRunner::defaultHelper()).
  std::filesystem::path probeHelper;
  /// `sandbox: strict`: no probe runs where the kernel cannot confine it fully (process
  /// mode); the default runs with what the kernel offers.
  bool strictSandbox = false;
  /// `deny`: plugin name -> declared needs its child is not granted.
  std::map<std::string, plugin::Needs> deniedNeeds;
};

struct ApiConfig {
  std::string listen;  ///< host:port; empty = no REST API
  std::string usersFile = "users.yaml";
  std::string adminGroup = "telemetry-admin";
  std::string tlsCert;  ///< PEM files; both set = HTTPS, both empty = plain HTTP (loopback only)
  std::string tlsKey;
  int listenLine = 0;   ///< where `listen` and `tls-cert` are configured, for messages
  int tlsCertLine = 0;  ///< that name a problem found only when binding
};

struct LoggingConfig {
  std::string level = "info";
};

struct Config {
  ProductConfig product;
  TelemetryConfig telemetry;
  StateConfig state;
  UsageConfig usage;
  PluginsConfig plugins;
  ApiConfig api;
  LoggingConfig logging;
  /// The file it was read from; empty for built-in defaults.
  std::filesystem::path source;
};

std::string toString(Edition edition);
std::string toString(HistoryLevel level);
std::string toString(Isolation isolation);

}  // namespace telemetry
