#include "config/collector_config.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <string_view>

#include "telemetry/plugin/suggest.hpp"

namespace telemetry::collector {
namespace {

constexpr std::array kTopLevelKeys{"listen",       "tls",         "plain-http", "trusted-proxies",
                                   "store",        "secret-file", "schema",     "max-body",
                                   "dedup-window", "retention",   "rate-limit", "connections",
                                   "logging"};
constexpr std::array kTlsKeys{"cert", "key"};
constexpr std::array kRateLimitKeys{"per-minute", "burst"};
constexpr std::array kConnectionKeys{"max", "request-timeout", "keep-alive-timeout", "threads"};
constexpr std::array kLoggingKeys{"level"};
constexpr std::array kLogLevels{"trace", "debug", "info", "warn", "error", "critical", "off"};

class YamlReader {
 public:
  explicit YamlReader(std::filesystem::path origin) : origin_(std::move(origin)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& message) const {
    std::ostringstream out;
    out << origin_.filename().string();
    if (node.Mark().line >= 0) out << ':' << node.Mark().line + 1;
    out << ": " << message;
    throw ConfigError(out.str());
  }

  template <std::size_t N>
  void requireKnownKeys(const YAML::Node& map, const std::array<const char*, N>& known,
                        const std::string& prefix) const {
    if (!map.IsMap()) {
      // Appending, not "'" + std::string: GCC 12 at -O3 warns falsely (-Wrestrict, bug 105329).
      std::string section = prefix.substr(0, prefix.size() - 1);
      fail(map, prefix.empty() ? "the configuration must be a mapping of keys"
                               : std::string("'").append(section).append("' must be a mapping"));
    }
    for (const auto& entry : map) {
      const auto key = entry.first.as<std::string>();
      if (std::find_if(known.begin(), known.end(), [&](const char* k) { return key == k; }) ==
          known.end()) {
        fail(entry.first,
             "unknown key '" + prefix + key + "'" + telemetry::plugin::didYouMean(key, known));
      }
    }
  }

  std::string scalar(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) fail(node, "'" + key + "' must be a single value");
    return node.Scalar();
  }

  bool boolean(const YAML::Node& node, const std::string& key) const {
    try {
      return node.as<bool>();
    } catch (const YAML::Exception&) {
      fail(node, "'" + key + "' must be true or false");
    }
  }

  unsigned positive(const YAML::Node& node, const std::string& key) const {
    const std::string text = scalar(node, key);
    unsigned value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value == 0) {
      fail(node, "'" + key + "' must be a positive integer, not '" + text + "'");
    }
    return value;
  }

  std::filesystem::path path(const YAML::Node& node, const std::string& key) const {
    std::filesystem::path value = scalar(node, key);
    if (value.empty()) fail(node, "'" + key + "' must not be empty");
    return resolve(value);
  }

  std::filesystem::path resolve(const std::filesystem::path& value) const {
    if (value.is_absolute()) return value;
    return origin_.parent_path() / value;
  }

 private:
  std::filesystem::path origin_;
};

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Splits "host:port" or "[v6]:port"; a missing host means loopback only, the safe default.
void parseListen(const std::string& text, std::string& host, unsigned short& port) {
  std::string hostPart;
  std::string portPart;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      throw std::invalid_argument("expected [ADDRESS]:PORT");
    }
    hostPart = text.substr(1, close - 1);
    portPart = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("expected HOST:PORT");
    hostPart = text.substr(0, colon);
    portPart = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, error] = std::from_chars(portPart.data(), portPart.data() + portPart.size(), value);
  if (error != std::errc() || end != portPart.data() + portPart.size() || value > 65535) {
    throw std::invalid_argument("port must be a number from 0 to 65535");
  }
  host = hostPart.empty() ? "127.0.0.1" : hostPart;
  port = static_cast<unsigned short>(value);
}

}  // namespace

std::chrono::milliseconds CollectorConfig::parseDuration(const std::string& text) {
  std::uint64_t number = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [rest, error] = std::from_chars(begin, end, number);
  if (error != std::errc() || rest == begin) {
    throw std::invalid_argument("'" + text + "' is not a duration (e.g. 500ms, 15s, 10m, 24h)");
  }
  const std::string_view unit(rest, static_cast<std::size_t>(end - rest));
  std::uint64_t perUnit = 0;  // milliseconds
  if (unit.empty() || unit == "s") perUnit = 1000;
  if (unit == "ms") perUnit = 1;
  if (unit == "m") perUnit = 60 * 1000;
  if (unit == "h") perUnit = 3600 * 1000;
  if (unit == "d") perUnit = 24 * 3600 * 1000;
  if (perUnit == 0) {
    throw std::invalid_argument("'" + text + "' has an unknown unit (use ms, s, m, h or d)");
  }
  // Timers count in nanoseconds: a century keeps far from their overflow, beyond any use.
  constexpr std::uint64_t kCentury = 100ULL * 365 * 24 * 3600 * 1000;
  if (number > kCentury / perUnit) {
    throw std::invalid_argument("'" + text + "' is longer than 100 years");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(number * perUnit));
}

std::string CollectorConfig::formatDuration(std::chrono::seconds duration) {
  const auto n = duration.count();
  if (n != 0 && n % 86400 == 0) return std::to_string(n / 86400) + "d";
  if (n != 0 && n % 3600 == 0) return std::to_string(n / 3600) + "h";
  if (n != 0 && n % 60 == 0) return std::to_string(n / 60) + "m";
  return std::to_string(n) + "s";
}

std::size_t CollectorConfig::parseSize(const std::string& text) {
  std::uint64_t number = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [rest, error] = std::from_chars(begin, end, number);
  if (error != std::errc() || rest == begin) {
    throw std::invalid_argument("'" + text + "' is not a size (e.g. 65536, 64KiB, 1MiB)");
  }
  const std::string unit = lower(std::string(rest, end));
  if (unit.empty() || unit == "b") return number;
  if (unit == "kib" || unit == "k") return number * 1024;
  if (unit == "kb") return number * 1000;
  if (unit == "mib" || unit == "m") return number * 1024 * 1024;
  if (unit == "mb") return number * 1000 * 1000;
  throw std::invalid_argument("'" + text + "' has an unknown unit (use KiB or MiB)");
}

CollectorConfig CollectorConfig::fromFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(file.string() + ": cannot read the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  return fromYaml(text.str(), file);
}

CollectorConfig CollectorConfig::fromYaml(const std::string& text,
                                          const std::filesystem::path& origin) {
  YamlReader reader(origin);
  YAML::Node parsed;
  try {
    parsed = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(origin.filename().string() + ":" + std::to_string(e.mark.line + 1) + ": " +
                      e.msg);
  }
  CollectorConfig config;
  config.secretFile = reader.resolve(config.secretFile);
  config.store = reader.resolve(config.store).string();
  // const: indexing a mutable node would insert the keys we merely look up.
  const YAML::Node root = parsed;
  if (!root.IsNull()) reader.requireKnownKeys(root, kTopLevelKeys, "");

  auto wrap = [&](const YAML::Node& node, const std::string& key, auto&& parse) {
    try {
      parse();
    } catch (const std::invalid_argument& e) {
      reader.fail(node, "'" + key + "': " + e.what());
    }
  };

  if (auto node = root["listen"]) {
    wrap(node, "listen",
         [&] { parseListen(reader.scalar(node, "listen"), config.listenHost, config.listenPort); });
  }
  if (auto tls = root["tls"]) {
    reader.requireKnownKeys(tls, kTlsKeys, "tls.");
    if (auto cert = tls["cert"]) config.tlsCert = reader.path(cert, "tls.cert");
    if (auto key = tls["key"]) config.tlsKey = reader.path(key, "tls.key");
  }
  if (auto node = root["plain-http"]) config.plainHttp = reader.boolean(node, "plain-http");
  if (auto node = root["trusted-proxies"]) {
    if (!node.IsSequence()) reader.fail(node, "'trusted-proxies' must be a list of addresses");
    for (const auto& item : node) {
      config.trustedProxies.push_back(reader.scalar(item, "trusted-proxies"));
    }
  }
  if (auto node = root["store"]) {
    const std::string value = reader.scalar(node, "store");
    if (value.empty()) reader.fail(node, "'store' must not be empty");
    config.store = value.starts_with("postgresql://") || value.starts_with("postgres://")
                       ? value
                       : reader.resolve(value).string();
  }
  if (auto node = root["secret-file"]) config.secretFile = reader.path(node, "secret-file");
  if (auto node = root["schema"]) config.schemaFile = reader.path(node, "schema");
  if (auto node = root["max-body"]) {
    wrap(node, "max-body", [&] { config.maxBody = parseSize(reader.scalar(node, "max-body")); });
    if (config.maxBody == 0) reader.fail(node, "'max-body' must be more than 0");
  }
  if (auto node = root["dedup-window"]) {
    wrap(node, "dedup-window", [&] {
      config.dedupWindow = std::chrono::duration_cast<std::chrono::seconds>(
          parseDuration(reader.scalar(node, "dedup-window")));
    });
  }
  if (auto node = root["retention"]) {
    const std::string text = reader.scalar(node, "retention");
    if (text != "forever") {
      try {
        config.retention = std::chrono::duration_cast<std::chrono::seconds>(parseDuration(text));
      } catch (const std::invalid_argument&) {
        reader.fail(node,
                    "'retention' must be forever or a duration such as 400d, not '" + text + "'");
      }
      // Less than a day empties the per-day chart; less than the window would let a
      // duplicate in through the gap its expired original left.
      if (config.retention <
          std::max<std::chrono::seconds>(std::chrono::hours(24), config.dedupWindow)) {
        reader.fail(node, "'retention' must be forever, or at least 1d and the dedup-window (" +
                              formatDuration(config.dedupWindow) + "), not '" + text + "'");
      }
    }
  }
  if (auto limit = root["rate-limit"]) {
    reader.requireKnownKeys(limit, kRateLimitKeys, "rate-limit.");
    if (auto n = limit["per-minute"]) config.ratePerMinute = reader.positive(n, "per-minute");
    if (auto n = limit["burst"]) config.rateBurst = reader.positive(n, "burst");
  }
  if (auto connections = root["connections"]) {
    reader.requireKnownKeys(connections, kConnectionKeys, "connections.");
    if (auto n = connections["max"]) config.maxConnections = reader.positive(n, "connections.max");
    // The server counts its timeouts in whole seconds; less than one would close every
    // connection before a client could send anything.
    auto seconds = [&](const YAML::Node& node, const std::string& key) {
      std::chrono::milliseconds value{};
      wrap(node, key, [&] { value = parseDuration(reader.scalar(node, key)); });
      if (value < std::chrono::seconds(1) || value > std::chrono::hours(24) ||
          value % std::chrono::seconds(1) != std::chrono::milliseconds(0)) {
        reader.fail(node, "'" + key + "' must be whole seconds from 1s to 24h");
      }
      return std::chrono::duration_cast<std::chrono::seconds>(value);
    };
    if (auto node = connections["request-timeout"]) {
      config.requestTimeout = seconds(node, "connections.request-timeout");
    }
    if (auto node = connections["keep-alive-timeout"]) {
      config.keepAliveTimeout = seconds(node, "connections.keep-alive-timeout");
    }
    if (auto node = connections["threads"]) {
      const std::string text = reader.scalar(node, "connections.threads");
      unsigned value = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text != "auto" &&
          (error != std::errc() || end != text.data() + text.size() || value == 0 || value > 256)) {
        reader.fail(node,
                    "'connections.threads' must be auto (one per CPU) or a number from 1 "
                    "to 256, not '" +
                        text + "'");
      }
      config.networkThreads = value;  // 0 for auto
    }
  }
  if (auto logging = root["logging"]) {
    reader.requireKnownKeys(logging, kLoggingKeys, "logging.");
    if (auto level = logging["level"]) {
      config.logLevel = lower(reader.scalar(level, "logging.level"));
      if (std::find_if(kLogLevels.begin(), kLogLevels.end(),
                       [&](const char* l) { return config.logLevel == l; }) == kLogLevels.end()) {
        reader.fail(level, "unknown log level '" + config.logLevel + "'" +
                               telemetry::plugin::didYouMean(config.logLevel, kLogLevels));
      }
    }
  }
  if (!config.plainHttp && (config.tlsCert.empty() || config.tlsKey.empty())) {
    reader.fail(root, "'tls.cert' and 'tls.key' are required unless 'plain-http: true'");
  }
  return config;
}

std::string CollectorConfig::listenAddress() const {
  const bool v6 = listenHost.find(':') != std::string::npos;
  return (v6 ? "[" + listenHost + "]" : listenHost) + ":" + std::to_string(listenPort);
}

bool CollectorConfig::storeIsPostgres() const {
  return store.starts_with("postgresql://") || store.starts_with("postgres://");
}

}  // namespace telemetry::collector
