#include "config/collector_config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string_view>

#include <Poco/Exception.h>

#include "telemetry/settings/duration.hpp"
#include "telemetry/settings/listen_address.hpp"
#include "telemetry/settings/loggers.hpp"
#include "telemetry/settings/yaml_document.hpp"
#include "telemetry/settings/yaml_section.hpp"
#include "telemetry/storage/database.hpp"

namespace telemetry::collector {
namespace {

using namespace std::chrono_literals;
using settings::YamlSection;

bool isSet(const YAML::Node& node) { return YamlSection::isSet(node); }

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

/// `key` read by `parse`; what it throws becomes "'key': reason" at the key's line.
template <class Parse>
auto parsed(const YamlSection& section, std::string_view key, Parse&& parse) {
  const YAML::Node node = section.scalar(key);
  try {
    return parse(node.Scalar());
  } catch (const std::invalid_argument& e) {
    section.fail(node, "'" + section.name(key) + "': " + e.what());
  }
}

void readListen(const YamlSection& root, CollectorConfig& config) {
  if (!isSet(root.scalar("listen"))) return;
  const auto address = parsed(root, "listen", settings::parseListenAddress);
  // A missing host means loopback only, the safe default.
  config.listenHost = address.host.empty() ? "127.0.0.1" : address.host;
  config.listenPort = address.port;
}

void readTls(const YamlSection& root, CollectorConfig& config) {
  const YamlSection tls = root.section("tls", {"cert", "key"});
  tls.readPath("cert", config.tlsCert);
  tls.readPath("key", config.tlsKey);
}

void readTrustedProxies(const YamlSection& root, CollectorConfig& config) {
  const YAML::Node list = root.get("trusted-proxies");
  if (!isSet(list)) return;
  if (!list.IsSequence()) root.fail(list, "'trusted-proxies' must be a list of addresses");
  for (const auto& item : list) {
    if (!item.IsScalar()) root.fail(item, "'trusted-proxies' must be a list of addresses");
    config.trustedProxies.push_back(item.Scalar());
  }
}

void readStore(const YamlSection& root, CollectorConfig& config) {
  const YAML::Node node = root.scalar("store");
  if (!isSet(node)) return;
  if (node.Scalar().empty()) root.fail(node, "'store' must not be empty");
  config.store = node.Scalar();
  if (!config.storeIsPostgres()) config.store = root.resolve(config.store).string();
}

// Read after `store`, which it must follow.
void readStoreRead(const YamlSection& root, CollectorConfig& config) {
  const YAML::Node node = root.scalar("store-read");
  if (!isSet(node)) return;
  const std::string url = node.Scalar();
  // The value is not quoted back: it may hold a password.
  if (!storage::isPostgresUrl(url)) {
    root.fail(node, "'store-read' must be a postgresql:// URL (a read replica of 'store')");
  }
  if (!config.storeIsPostgres()) {
    root.fail(node,
              "'store-read' needs a PostgreSQL 'store' (postgresql://); with an SQLite store "
              "the dashboard reads the store file itself");
  }
  try {
    storage::libpqConnectionString(url);
  } catch (const Poco::SyntaxException& e) {
    root.fail(node, "'store-read': " + e.message());
  }
  config.storeRead = url;
}

// The token is read here, so a missing or weak one stops the start with file:line.
void readAdminToken(const YamlSection& root, CollectorConfig& config) {
  const YAML::Node node = root.scalar("admin-token-file");
  if (!isSet(node)) return;
  root.readPath("admin-token-file", config.adminTokenFile);
  std::ifstream in(config.adminTokenFile, std::ios::binary);
  // A token file is a line; more than 1 KiB is not one (and is not read).
  std::string token(1024, '\0');
  if (in) in.read(token.data(), static_cast<std::streamsize>(token.size()));
  token.resize(static_cast<std::size_t>(in.gcount()));
  if (!in.is_open() || in.bad()) {
    root.fail(node, "cannot read 'admin-token-file' " + config.adminTokenFile.string());
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) {
    token.pop_back();
  }
  const bool printable = std::ranges::all_of(token, [](char c) { return c > ' ' && c < 0x7f; });
  if (token.size() < CollectorConfig::kMinAdminToken || !printable) {
    root.fail(node, "'admin-token-file' must hold one token of at least " +
                        std::to_string(CollectorConfig::kMinAdminToken) +
                        " printable characters (e.g. openssl rand -hex 32)");
  }
  config.adminToken = std::move(token);
}

void readMaxBody(const YamlSection& root, CollectorConfig& config) {
  if (!isSet(root.scalar("max-body"))) return;
  config.maxBody = parsed(root, "max-body", CollectorConfig::parseSize);
  if (config.maxBody == 0) root.fail(root.get("max-body"), "'max-body' must be more than 0");
}

void readDedupWindow(const YamlSection& root, CollectorConfig& config) {
  if (!isSet(root.scalar("dedup-window"))) return;
  config.dedupWindow = std::chrono::duration_cast<std::chrono::seconds>(
      parsed(root, "dedup-window", settings::parseDuration));
}

/// After the dedup-window, which it must not be shorter than.
void readRetention(const YamlSection& root, CollectorConfig& config) {
  const YAML::Node node = root.scalar("retention");
  if (!isSet(node) || node.Scalar() == "forever") return;
  const std::string& text = node.Scalar();
  try {
    config.retention =
        std::chrono::duration_cast<std::chrono::seconds>(settings::parseDuration(text));
  } catch (const std::invalid_argument&) {
    root.fail(node, "'retention' must be forever or a duration such as 400d, not '" + text + "'");
  }
  // Less than a day empties the per-day chart; less than the window would let a duplicate
  // in through the gap its expired original left.
  if (config.retention < std::max<std::chrono::seconds>(24h, config.dedupWindow)) {
    root.fail(node, "'retention' must be forever, or at least 1d and the dedup-window (" +
                        settings::formatDuration(config.dedupWindow) + "), not '" + text + "'");
  }
}

void readRateLimit(const YamlSection& root, CollectorConfig& config) {
  const YamlSection limit = root.section("rate-limit", {"per-minute", "burst"});
  limit.readPositive("per-minute", config.ratePerMinute);
  limit.readPositive("burst", config.rateBurst);
}

/// After the dedup-window: a replaced key must outlive it, or a report re-sent from the
/// same address just after a rotation would no longer match the original's hash.
void readIpHash(const YamlSection& root, CollectorConfig& config) {
  const YamlSection ipHash = root.section("ip-hash", {"key-file", "rotation", "keep-previous"});
  ipHash.readPath("key-file", config.ipKeyFile);
  ipHash.read("rotation", config.ipKeyRotation);
  ipHash.read("keep-previous", config.ipKeyKeepPrevious);
  if (config.ipKeyRotation < 1s) {
    ipHash.fail(ipHash.get("rotation"), "'ip-hash.rotation' must be at least 1s");
  }
  if (config.ipKeyKeepPrevious < std::max<std::chrono::milliseconds>(1s, config.dedupWindow)) {
    const YAML::Node node = ipHash.get("keep-previous");
    ipHash.fail(isSet(node) ? node : root.get("dedup-window"),
                "'ip-hash.keep-previous' must be at least 1s and the dedup-window (" +
                    settings::formatDuration(config.dedupWindow) + "), not " +
                    settings::formatDuration(config.ipKeyKeepPrevious));
  }
}

/// The server counts its timeouts in whole seconds; less than one would close every
/// connection before a client could send anything.
void readTimeout(const YamlSection& connections, std::string_view key, std::chrono::seconds& out) {
  if (!isSet(connections.scalar(key))) return;
  const auto value = parsed(connections, key, settings::parseDuration);
  if (value < 1s || value > 24h || value % 1s != 0ms) {
    connections.fail(connections.get(key),
                     "'" + connections.name(key) + "' must be whole seconds from 1s to 24h");
  }
  out = std::chrono::duration_cast<std::chrono::seconds>(value);
}

void readNetworkThreads(const YamlSection& connections, CollectorConfig& config) {
  const YAML::Node node = connections.scalar("threads");
  if (!isSet(node)) return;
  const std::string& text = node.Scalar();
  unsigned value = 0;  // 0 for auto
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text != "auto" &&
      (error != std::errc() || end != text.data() + text.size() || value == 0 || value > 256)) {
    connections.fail(node,
                     "'connections.threads' must be auto (one per CPU) or a number from 1 to "
                     "256, not '" +
                         text + "'");
  }
  config.networkThreads = value;
}

void readConnections(const YamlSection& root, CollectorConfig& config) {
  const YamlSection connections =
      root.section("connections", {"max", "request-timeout", "keep-alive-timeout", "threads"});
  auto max = static_cast<unsigned>(config.maxConnections);
  connections.readPositive("max", max);
  config.maxConnections = max;
  readTimeout(connections, "request-timeout", config.requestTimeout);
  readTimeout(connections, "keep-alive-timeout", config.keepAliveTimeout);
  readNetworkThreads(connections, config);
}

void readSpool(const YamlSection& root, CollectorConfig& config) {
  const YamlSection spool =
      root.section("spool", {"directory", "max-size", "segment-size", "drain-batch"});
  spool.readPath("directory", config.spoolDirectory);
  const auto size = [&spool](std::string_view key, std::uint64_t& out, std::uint64_t least) {
    if (!isSet(spool.scalar(key))) return;
    out = parsed(spool, key, CollectorConfig::parseSize);
    if (out < least) {
      spool.fail(spool.get(key), "'" + spool.name(key) + "' must be at least " +
                                     std::to_string(least / 1024) + "KiB");
    }
  };
  // A segment must hold the largest report; the spool at least one segment's worth.
  size("segment-size", config.spoolSegmentSize, 64 * 1024);
  size("max-size", config.spoolMaxSize, 64 * 1024);
  unsigned batch = static_cast<unsigned>(config.drainBatch);
  spool.readPositive("drain-batch", batch);
  config.drainBatch = batch;
}

void readLogging(const YamlSection& root, CollectorConfig& config) {
  const YamlSection logging = root.section("logging", {"level"});
  std::string level = config.logLevel;
  logging.read("level", level);
  config.logLevel = lower(level);
  const auto& levels = settings::kLogLevels;
  if (std::find(levels.begin(), levels.end(), config.logLevel) == levels.end()) {
    logging.fail(logging.get("level"),
                 "'logging.level' " + settings::logLevelChoice(config.logLevel));
  }
}

}  // namespace

std::size_t CollectorConfig::parseSize(const std::string& text) {
  std::uint64_t number = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [rest, error] = std::from_chars(begin, end, number);
  if (error != std::errc() || rest == begin) {
    throw std::invalid_argument("'" + text + "' is not a size (e.g. 65536, 64KiB, 1MiB)");
  }
  const std::string unit = lower(std::string(rest, end));
  std::uint64_t scale = 0;
  if (unit.empty() || unit == "b") scale = 1;
  if (unit == "kib" || unit == "k") scale = 1024;
  if (unit == "kb") scale = 1000;
  if (unit == "mib" || unit == "m") scale = 1024 * 1024;
  if (unit == "mb") scale = 1000 * 1000;
  if (unit == "gib" || unit == "g") scale = 1024 * 1024 * 1024;
  if (unit == "gb") scale = 1000 * 1000 * 1000;
  if (scale != 0) {
    if (number > std::numeric_limits<std::uint64_t>::max() / scale) {
      throw std::invalid_argument("'" + text + "' is too large");
    }
    return number * scale;
  }
  throw std::invalid_argument("'" + text + "' has an unknown unit (use KiB, MiB or GiB)");
}

CollectorConfig CollectorConfig::fromFile(const std::filesystem::path& file) {
  return fromYaml(settings::readConfigFile(file), file);
}

CollectorConfig CollectorConfig::fromYaml(const std::string& text,
                                          const std::filesystem::path& origin) {
  // Messages name the file alone ("collector.yaml:7: ...") and a key by its dotted path.
  const settings::YamlOrigin where{origin, origin.filename(), settings::UnknownKeyNaming::dotted};
  const YamlSection root(
      where, settings::parseYaml(text, where.shownAs), "",
      {"listen", "tls", "plain-http", "trusted-proxies", "store", "store-read", "secret-file",
       "ip-hash", "schema", "max-body", "dedup-window", "retention", "rate-limit", "connections",
       "spool", "logging", "admin-token-file"});
  CollectorConfig config;
  config.secretFile = root.resolve(config.secretFile);
  config.ipKeyFile = root.resolve(config.ipKeyFile);
  config.store = root.resolve(config.store).string();
  config.spoolDirectory = root.resolve(config.spoolDirectory);
  readListen(root, config);
  readTls(root, config);
  root.read("plain-http", config.plainHttp);
  readTrustedProxies(root, config);
  readStore(root, config);
  readStoreRead(root, config);
  root.readPath("secret-file", config.secretFile);
  root.readPath("schema", config.schemaFile);
  readMaxBody(root, config);
  readDedupWindow(root, config);
  readRetention(root, config);
  readIpHash(root, config);
  readRateLimit(root, config);
  readConnections(root, config);
  readSpool(root, config);
  readLogging(root, config);
  readAdminToken(root, config);
  if (!config.plainHttp && (config.tlsCert.empty() || config.tlsKey.empty())) {
    root.fail(root.node(), "'tls.cert' and 'tls.key' are required unless 'plain-http: true'");
  }
  return config;
}

std::string CollectorConfig::listenAddress() const {
  return settings::ListenAddress{listenHost, listenPort}.toString();
}

bool CollectorConfig::storeIsPostgres() const {
  return store.starts_with("postgresql://") || store.starts_with("postgres://");
}

}  // namespace telemetry::collector
