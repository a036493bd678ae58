#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "config/collector_config.hpp"
#include "telemetry/settings/duration.hpp"

namespace telemetry::collector {
namespace {

std::string errorOf(const std::string& yaml) {
  try {
    CollectorConfig::fromYaml(yaml, "/etc/telemetry/collector.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(CollectorConfigTest, ReadsEveryDocumentedKey) {
  const auto config = CollectorConfig::fromYaml(R"(listen: 0.0.0.0:9443
tls: { cert: server.pem, key: /keys/server.key }
plain-http: false
trusted-proxies: [10.0.0.0/8]
store: data/collector.db
secret-file: collector.secret
ip-hash: { key-file: keys/collector.ip-keys, rotation: 12h, keep-previous: 13h }
max-body: 32KiB
dedup-window: 12h
retention: 400d
rate-limit: { per-minute: 30, burst: 5 }
connections: { max: 100, request-timeout: 30s, keep-alive-timeout: 2m, threads: 3 }
logging: { level: debug }
)",
                                                "/etc/telemetry/collector.yaml");
  EXPECT_EQ(config.listenAddress(), "0.0.0.0:9443");
  EXPECT_EQ(config.tlsCert, "/etc/telemetry/server.pem");
  EXPECT_EQ(config.tlsKey, "/keys/server.key");
  EXPECT_EQ(config.trustedProxies, std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ(config.store, "/etc/telemetry/data/collector.db");
  EXPECT_EQ(config.secretFile, "/etc/telemetry/collector.secret");
  EXPECT_EQ(config.ipKeyFile, "/etc/telemetry/keys/collector.ip-keys");
  EXPECT_EQ(config.ipKeyRotation, std::chrono::hours(12));
  EXPECT_EQ(config.ipKeyKeepPrevious, std::chrono::hours(13));
  EXPECT_EQ(config.maxBody, 32u * 1024);
  EXPECT_EQ(config.dedupWindow, std::chrono::hours(12));
  EXPECT_EQ(config.retention, std::chrono::hours(24 * 400));
  EXPECT_EQ(config.ratePerMinute, 30u);
  EXPECT_EQ(config.rateBurst, 5u);
  EXPECT_EQ(config.maxConnections, 100u);
  EXPECT_EQ(config.requestTimeout, std::chrono::seconds(30));
  EXPECT_EQ(config.keepAliveTimeout, std::chrono::minutes(2));
  EXPECT_EQ(config.networkThreads, 3u);
  EXPECT_EQ(config.logLevel, "debug");
}

TEST(CollectorConfigTest, DefaultsMatchTheContract) {
  const auto config = CollectorConfig::fromYaml("plain-http: true\n", "collector.yaml");
  EXPECT_EQ(config.listenAddress(), "127.0.0.1:8443");
  EXPECT_EQ(config.maxBody, 64u * 1024);
  EXPECT_EQ(config.dedupWindow, std::chrono::hours(24));
  EXPECT_EQ(config.ipKeyRotation, std::chrono::hours(24));
  EXPECT_EQ(config.ipKeyKeepPrevious, std::chrono::hours(24));
  EXPECT_EQ(config.retention, std::chrono::seconds(0));  // forever
  EXPECT_EQ(config.ratePerMinute, 60u);
  EXPECT_EQ(config.rateBurst, 10u);
  EXPECT_EQ(config.maxConnections, 4096u);
  EXPECT_EQ(config.requestTimeout, std::chrono::seconds(15));
  EXPECT_EQ(config.keepAliveTimeout, std::chrono::seconds(10));
  EXPECT_EQ(config.networkThreads, 0u);
}

// config/collector.yaml promises "every key, with its default".
TEST(CollectorConfigTest, TheShippedConfigurationHoldsTheDefaults) {
  const auto shipped = CollectorConfig::fromFile(TELEMETRY_SHIPPED_COLLECTOR_CONFIG);
  const auto defaults = CollectorConfig::fromYaml("tls: { cert: server.pem, key: server.key }\n",
                                                  TELEMETRY_SHIPPED_COLLECTOR_CONFIG);
  EXPECT_EQ(shipped.listenAddress(), defaults.listenAddress());
  EXPECT_EQ(shipped.tlsCert, defaults.tlsCert);
  EXPECT_EQ(shipped.plainHttp, defaults.plainHttp);
  EXPECT_EQ(shipped.trustedProxies, defaults.trustedProxies);
  EXPECT_EQ(shipped.store, defaults.store);
  EXPECT_EQ(shipped.storeRead, defaults.storeRead);
  EXPECT_EQ(shipped.secretFile, defaults.secretFile);
  EXPECT_EQ(shipped.ipKeyFile, defaults.ipKeyFile);
  EXPECT_EQ(shipped.ipKeyRotation, defaults.ipKeyRotation);
  EXPECT_EQ(shipped.ipKeyKeepPrevious, defaults.ipKeyKeepPrevious);
  EXPECT_EQ(shipped.maxBody, defaults.maxBody);
  EXPECT_EQ(shipped.dedupWindow, defaults.dedupWindow);
  EXPECT_EQ(shipped.retention, defaults.retention);
  EXPECT_EQ(shipped.ratePerMinute, defaults.ratePerMinute);
  EXPECT_EQ(shipped.rateBurst, defaults.rateBurst);
  EXPECT_EQ(shipped.maxConnections, defaults.maxConnections);
  EXPECT_EQ(shipped.requestTimeout, defaults.requestTimeout);
  EXPECT_EQ(shipped.keepAliveTimeout, defaults.keepAliveTimeout);
  EXPECT_EQ(shipped.networkThreads, defaults.networkThreads);
  EXPECT_EQ(shipped.logLevel, defaults.logLevel);
  EXPECT_EQ(shipped.spoolDirectory, defaults.spoolDirectory);
  EXPECT_EQ(shipped.spoolMaxSize, defaults.spoolMaxSize);
  EXPECT_EQ(shipped.spoolSegmentSize, defaults.spoolSegmentSize);
  EXPECT_EQ(shipped.drainBatch, defaults.drainBatch);
  EXPECT_EQ(shipped.adminTokenFile, defaults.adminTokenFile);
}

// The packaged service runs as telemetry-collector with /etc/telemetry read-only: every file
// it writes must be in its StateDirectory. A path key added to config/collector.yaml and not
// to packaging/CMakeLists.txt's list stays relative and fails here, not first in a root-only
// package test (the spool did, once).
TEST(CollectorConfigTest, ThePackagedConfigurationWritesOnlyUnderItsStateDirectory) {
  const auto packaged = CollectorConfig::fromFile(TELEMETRY_PACKAGED_COLLECTOR_CONFIG);
  const std::filesystem::path state = "/var/lib/telemetry-collector";
  const auto under = [&state](const std::filesystem::path& path) {
    const auto [end, at] = std::mismatch(state.begin(), state.end(), path.begin(), path.end());
    return end == state.end() && at != path.end();
  };
  EXPECT_TRUE(under(packaged.store)) << packaged.store;
  EXPECT_TRUE(under(packaged.secretFile)) << packaged.secretFile;
  EXPECT_TRUE(under(packaged.ipKeyFile)) << packaged.ipKeyFile;
  EXPECT_TRUE(under(packaged.spoolDirectory)) << packaged.spoolDirectory;
}

TEST(CollectorConfigTest, ReadsAutoNetworkThreadsAsOnePerCpu) {
  EXPECT_EQ(CollectorConfig::fromYaml("plain-http: true\nconnections: { threads: auto }\n",
                                      "collector.yaml")
                .networkThreads,
            0u);
}

TEST(CollectorConfigTest, RefusesConnectionLimitsAServerCannotWorkWith) {
  EXPECT_EQ(errorOf("plain-http: true\nconnections:\n  keep-alive-timeout: 500ms\n"),
            "collector.yaml:3: 'connections.keep-alive-timeout' must be whole seconds from 1s "
            "to 24h");
  EXPECT_EQ(errorOf("plain-http: true\nconnections: { request-timeout: 1500ms }\n"),
            "collector.yaml:2: 'connections.request-timeout' must be whole seconds from 1s to "
            "24h");
  EXPECT_EQ(errorOf("plain-http: true\nconnections: { request-timeout: 2d }\n"),
            "collector.yaml:2: 'connections.request-timeout' must be whole seconds from 1s to "
            "24h");
  EXPECT_EQ(errorOf("plain-http: true\nconnections: { keep-alive-timeout: 10000000000s }\n"),
            "collector.yaml:2: 'connections.keep-alive-timeout': '10000000000s' is longer than "
            "100 years");
  EXPECT_EQ(errorOf("plain-http: true\nconnections: { request-timeout: soon }\n"),
            "collector.yaml:2: 'connections.request-timeout': 'soon' is not a duration (e.g. "
            "500ms, 15s, 10m, 24h)");
  EXPECT_EQ(errorOf("plain-http: true\nconnections: { max: 0 }\n"),
            "collector.yaml:2: 'connections.max' must be a positive integer, not '0'");
  EXPECT_EQ(errorOf("plain-http: true\nconnections: { threads: 0 }\n"),
            "collector.yaml:2: 'connections.threads' must be auto (one per CPU) or a number "
            "from 1 to 256, not '0'");
  EXPECT_EQ(errorOf("plain-http: true\nconnections: { keepalive-timeout: 60s }\n"),
            "collector.yaml:2: unknown key 'connections.keepalive-timeout' (did you mean "
            "'keep-alive-timeout'?)");
}

TEST(CollectorConfigTest, ReadsARetentionNoShorterThanADayAndTheDedupWindow) {
  EXPECT_EQ(CollectorConfig::fromYaml("plain-http: true\nretention: forever\n", "c.yaml").retention,
            std::chrono::seconds(0));
  EXPECT_EQ(CollectorConfig::fromYaml("plain-http: true\nretention: 36h\n", "c.yaml").retention,
            std::chrono::hours(36));
  EXPECT_EQ(errorOf("plain-http: true\nretention: 12h\n"),
            "collector.yaml:2: 'retention' must be forever, or at least 1d and the dedup-window "
            "(1d), not '12h'");
  EXPECT_EQ(errorOf("plain-http: true\ndedup-window: 3d\nretention: 2d\n"),
            "collector.yaml:3: 'retention' must be forever, or at least 1d and the dedup-window "
            "(3d), not '2d'");
  EXPECT_EQ(errorOf("plain-http: true\nretention: never\n"),
            "collector.yaml:2: 'retention' must be forever or a duration such as 400d, not "
            "'never'");
}

// A replaced key must outlive the dedup-window, or a duplicate sent just after a rotation
// would not match its original.
TEST(CollectorConfigTest, KeepsReplacedIpHashKeysAtLeastTheDedupWindow) {
  EXPECT_EQ(errorOf("plain-http: true\nip-hash: { keep-previous: 12h }\n"),
            "collector.yaml:2: 'ip-hash.keep-previous' must be at least 1s and the dedup-window "
            "(1d), not 12h");
  EXPECT_EQ(errorOf("plain-http: true\ndedup-window: 2d\n"),
            "collector.yaml:2: 'ip-hash.keep-previous' must be at least 1s and the dedup-window "
            "(2d), not 1d");
  EXPECT_EQ(errorOf("plain-http: true\nip-hash: { rotation: 500ms }\n"),
            "collector.yaml:2: 'ip-hash.rotation' must be at least 1s");
  EXPECT_EQ(errorOf("plain-http: true\nip-hash: { rotaton: 1h }\n"),
            "collector.yaml:2: unknown key 'ip-hash.rotaton' (did you mean 'rotation'?)");
  EXPECT_EQ(errorOf("plain-http: true\ndedup-window: 4s\nip-hash: { rotation: 2s, "
                    "keep-previous: 5s }\n"),
            "<no error>");
}

TEST(CollectorConfigTest, NamesFileLineAndNearestKeyForAnUnknownKey) {
  EXPECT_EQ(errorOf("plain-http: true\nrate-limt: { burst: 1 }\n"),
            "collector.yaml:2: unknown key 'rate-limt' (did you mean 'rate-limit'?)");
}

TEST(CollectorConfigTest, NamesTheNestedKeyPathForAnUnknownNestedKey) {
  EXPECT_EQ(errorOf("plain-http: true\nrate-limit:\n  per-minit: 5\n"),
            "collector.yaml:3: unknown key 'rate-limit.per-minit' (did you mean 'per-minute'?)");
}

TEST(CollectorConfigTest, RequiresTlsFilesUnlessPlainHttp) {
  EXPECT_NE(errorOf("listen: 127.0.0.1:8443\n").find("'tls.cert' and 'tls.key' are required"),
            std::string::npos);
}

TEST(CollectorConfigTest, RejectsABadDurationWithItsLine) {
  EXPECT_EQ(errorOf("plain-http: true\ndedup-window: 3 weeks\n").rfind("collector.yaml:2:", 0), 0u);
}

TEST(CollectorConfigTest, RejectsAPortOutOfRange) {
  EXPECT_NE(errorOf("plain-http: true\nlisten: 127.0.0.1:70000\n").find("port"), std::string::npos);
}

TEST(CollectorConfigTest, RejectsAZeroRate) {
  EXPECT_NE(errorOf("plain-http: true\nrate-limit: { per-minute: 0 }\n").find("positive"),
            std::string::npos);
}

TEST(CollectorConfigTest, RejectsAnUnknownLogLevelWithASuggestion) {
  EXPECT_NE(errorOf("plain-http: true\nlogging: { level: inf }\n").find("did you mean 'info'"),
            std::string::npos);
}

TEST(CollectorConfigTest, KeepsAPostgresqlUrlAsGiven) {
  const auto config = CollectorConfig::fromYaml(
      "plain-http: true\nstore: postgresql://u:p@db/telemetry\n", "/etc/collector.yaml");
  EXPECT_EQ(config.store, "postgresql://u:p@db/telemetry");
  EXPECT_TRUE(config.storeIsPostgres());
}

TEST(CollectorConfigTest, ReadsAReadReplicaForAPostgresqlStoreOnly) {
  const auto config = CollectorConfig::fromYaml(
      "plain-http: true\nstore: postgresql://u:p@primary/telemetry\n"
      "store-read: postgresql://u:p@replica/telemetry\n",
      "/etc/collector.yaml");
  EXPECT_EQ(config.storeRead, "postgresql://u:p@replica/telemetry");
  EXPECT_EQ(CollectorConfig::fromYaml("plain-http: true\n", "c.yaml").storeRead, "")
      << "none by default: the dashboard reads the store";
  EXPECT_EQ(errorOf("plain-http: true\nstore: collector.db\nstore-read: postgresql://db/t\n"),
            "collector.yaml:3: 'store-read' needs a PostgreSQL 'store' (postgresql://); with an "
            "SQLite store the dashboard reads the store file itself");
  EXPECT_EQ(errorOf("plain-http: true\nstore-read: postgresql://db/t\n"),
            "collector.yaml:2: 'store-read' needs a PostgreSQL 'store' (postgresql://); with an "
            "SQLite store the dashboard reads the store file itself")
      << "the default store is SQLite";
  // The value is never quoted back: it may hold a password.
  EXPECT_EQ(errorOf("plain-http: true\nstore: postgresql://db/t\nstore-read: replica.db\n"),
            "collector.yaml:3: 'store-read' must be a postgresql:// URL (a read replica of "
            "'store')");
  EXPECT_EQ(errorOf("plain-http: true\nstore: postgresql://db/t\nstore-read: ''\n"),
            "collector.yaml:3: 'store-read' must be a postgresql:// URL (a read replica of "
            "'store')");
  const auto spaced =
      errorOf("plain-http: true\nstore: postgresql://db/t\nstore-read: postgresql://u:a b@r/t\n");
  EXPECT_EQ(spaced.rfind("collector.yaml:3: 'store-read': ", 0), 0u) << spaced;
  EXPECT_EQ(spaced.find("a b"), std::string::npos) << spaced;
  EXPECT_EQ(errorOf("plain-http: true\nstore: postgresql://db/t\nstore-raed: postgresql://r/t\n"),
            "collector.yaml:3: unknown key 'store-raed' (did you mean 'store-read'?)");
  EXPECT_EQ(errorOf("plain-http: true\nstore: postgresql://db/t\nstore-read: [a]\n")
                .rfind("collector.yaml:3:", 0),
            0u);
}

TEST(CollectorConfigTest, parses_durations_and_sizes) {
  EXPECT_EQ(settings::parseDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(settings::parseDuration("90"), std::chrono::seconds(90));
  EXPECT_EQ(settings::parseDuration("36500d"), std::chrono::hours(24 * 36500));
  EXPECT_THROW(settings::parseDuration("36501d"), std::invalid_argument);
  EXPECT_THROW(settings::parseDuration("18446744073709551615ms"), std::invalid_argument);
  EXPECT_EQ(settings::formatDuration(std::chrono::hours(24 * 400)), "400d");
  EXPECT_EQ(settings::formatDuration(std::chrono::hours(36)), "36h");
  EXPECT_EQ(settings::formatDuration(std::chrono::seconds(5400)), "90m");
  EXPECT_EQ(settings::formatDuration(std::chrono::seconds(61)), "61s");
  EXPECT_EQ(CollectorConfig::parseSize("1MiB"), 1024u * 1024);
  EXPECT_EQ(CollectorConfig::parseSize("65536"), 65536u);
}

TEST(CollectorConfigTest, ReadsAnIpv6ListenAddress) {
  const auto config = CollectorConfig::fromYaml("plain-http: true\nlisten: '[::1]:0'\n", "c.yaml");
  EXPECT_EQ(config.listenHost, "::1");
  EXPECT_EQ(config.listenPort, 0);
}

}  // namespace
}  // namespace telemetry::collector

namespace telemetry::collector {
namespace {

// The admin token of POST /imports: read at load, refused when missing or weak.
TEST(CollectorConfigTest, ReadsTheAdminTokenFileAndRefusesAMissingOrWeakToken) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("collector-config-token-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto yaml = "plain-http: true\nadmin-token-file: admin.token\n";
  const auto origin = dir / "collector.yaml";
  EXPECT_THROW(
      {
        try {
          CollectorConfig::fromYaml(yaml, origin);
        } catch (const ConfigError& e) {
          EXPECT_NE(std::string(e.what()).find("collector.yaml:2: cannot read 'admin-token-file'"),
                    std::string::npos)
              << e.what();
          throw;
        }
      },
      ConfigError);
  std::ofstream(dir / "admin.token") << std::string(31, 'x') << "\n";
  EXPECT_THROW(CollectorConfig::fromYaml(yaml, origin), ConfigError) << "31 characters";
  std::ofstream(dir / "admin.token") << std::string(16, 'x') << " " << std::string(16, 'x');
  EXPECT_THROW(CollectorConfig::fromYaml(yaml, origin), ConfigError) << "a space inside";
  std::ofstream(dir / "admin.token") << std::string(32, 'x') << "\r\n";
  const auto config = CollectorConfig::fromYaml(yaml, origin);
  EXPECT_EQ(config.adminToken, std::string(32, 'x'));
  EXPECT_EQ(config.adminTokenFile, dir / "admin.token");
  EXPECT_TRUE(CollectorConfig::fromYaml("plain-http: true\n", origin).adminToken.empty());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace telemetry::collector
