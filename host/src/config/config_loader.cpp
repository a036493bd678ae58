#include "telemetry/config_loader.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/URI.h>
#include <yaml-cpp/yaml.h>

#include "config/duration.hpp"
#include "config/logging.hpp"
#include "delivery/loopback_host.hpp"
#include "report/utf8_text.hpp"
#include "telemetry/plugin/suggest.hpp"

namespace telemetry {
namespace {

namespace fs = std::filesystem;

// A key that is not there has no line (and yaml-cpp throws on asking).
int lineOf(const YAML::Node& node) {
  return !node.IsDefined() || node.Mark().is_null() ? 0 : node.Mark().line + 1;
}

/// Reads one YAML mapping (`product:`, `telemetry:`, ...) against the keys it may hold.
class MappingReader {
 public:
  MappingReader(const fs::path& file, const YAML::Node& node, std::string path,
                std::vector<std::string_view> keys)
      : file_(file), node_(node), path_(std::move(path)), keys_(std::move(keys)) {
    if (!node_ || node_.IsNull()) return;
    if (!node_.IsMap()) fail(node_, "'" + path_ + "' must be a mapping of keys to values");
    for (const auto& entry : node_) {
      std::string key = entry.first.Scalar();
      bool known = std::find(keys_.begin(), keys_.end(), key) != keys_.end();
      if (!known) {
        std::string where = path_.empty() ? std::string() : " in '" + path_ + "'";
        fail(entry.first, "unknown key '" + key + "'" + where + plugin::didYouMean(key, keys_));
      }
    }
  }

  YAML::Node get(std::string_view key) const {
    if (!node_ || !node_.IsMap()) return YAML::Node();
    return node_[std::string(key)];
  }

  std::string name(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }

  [[noreturn]] void fail(const YAML::Node& at, const std::string& message) const {
    throw ConfigError(file_, lineOf(at), message);
  }

  /// The value of `key` if it is set; a missing key yields an undefined node.
  YAML::Node scalar(std::string_view key) const {
    YAML::Node node = get(key);
    if (node && !node.IsNull() && !node.IsScalar()) {
      fail(node, "'" + name(key) + "' must be a single value");
    }
    return node;
  }

  static bool isSet(const YAML::Node& node) { return node && !node.IsNull(); }

  void read(std::string_view key, std::string& out) const {
    YAML::Node n = scalar(key);
    if (isSet(n)) out = n.Scalar();
  }

  void read(std::string_view key, bool& out) const {
    YAML::Node n = scalar(key);
    if (!isSet(n)) return;
    const std::string& v = n.Scalar();
    if (v == "true") {
      out = true;
    } else if (v == "false") {
      out = false;
    } else {
      fail(n, "'" + name(key) + "' must be true or false, not '" + v + "'");
    }
  }

  /// A switch that may be left unset (`initialize`: nobody decided yet).
  void read(std::string_view key, std::optional<bool>& out) const {
    if (!isSet(scalar(key))) return;
    bool value = false;
    read(key, value);
    out = value;
  }

  void read(std::string_view key, int& out, int max) const {
    YAML::Node n = scalar(key);
    if (!isSet(n)) return;
    const std::string& v = n.Scalar();
    int value = 0;
    auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), value);
    if (error != std::errc() || end != v.data() + v.size() || value < 0 || value > max) {
      fail(n, "'" + name(key) + "' must be a whole number from 0 to " + std::to_string(max) +
                  ", not '" + v + "'");
    }
    out = value;
  }

  void read(std::string_view key, Duration& out) const {
    YAML::Node n = scalar(key);
    if (!isSet(n)) return;
    auto parsed = parseDuration(n.Scalar());
    if (!parsed) {
      fail(n, "'" + name(key) + "' is not a duration: '" + n.Scalar() +
                  "' (use seconds, or a number with ms, s, m or h: 500ms, 15s, 10m, 24h)");
    }
    out = *parsed;
  }

  template <class Enum, std::size_t N>
  void read(std::string_view key, Enum& out,
            const std::array<std::pair<std::string_view, Enum>, N>& choices) const {
    YAML::Node n = scalar(key);
    if (!isSet(n)) return;
    std::vector<std::string_view> names;
    for (const auto& [text, value] : choices) {
      if (n.Scalar() == text) {
        out = value;
        return;
      }
      names.push_back(text);
    }
    std::string list;
    for (auto nm : names) list += (list.empty() ? "" : ", ") + std::string(nm);
    fail(n, "'" + name(key) + "' must be one of " + list + ", not '" + n.Scalar() + "'" +
                plugin::didYouMean(n.Scalar(), names));
  }

  const fs::path& file() const { return file_; }

 private:
  fs::path file_;
  YAML::Node node_;
  std::string path_;
  std::vector<std::string_view> keys_;
};

/// Plain YAML scalars keep their YAML type in JSON; quoted ones stay strings.
Poco::Dynamic::Var toJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      for (const auto& entry : node) object->set(entry.first.Scalar(), toJson(entry.second));
      return object;
    }
    case YAML::NodeType::Sequence: {
      Poco::JSON::Array::Ptr array = new Poco::JSON::Array();
      for (const auto& item : node) array->add(toJson(item));
      return array;
    }
    case YAML::NodeType::Scalar: {
      const std::string& text = node.Scalar();
      if (node.Tag() == "?") {
        if (text == "true") return true;
        if (text == "false") return false;
        if (text == "null" || text == "~") return Poco::Dynamic::Var();
        long long integer = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), integer);
        if (error == std::errc() && end == text.data() + text.size() && !text.empty()) {
          return static_cast<Poco::Int64>(integer);
        }
      }
      return text;
    }
    default:
      return Poco::Dynamic::Var();
  }
}

fs::path anchored(const fs::path& file, const std::string& value) {
  fs::path p(value);
  if (p.empty() || p.is_absolute() || file.empty()) return p;
  return file.parent_path() / p;
}

void checkUrl(const MappingReader& reader, std::string_view key, const std::string& value,
              std::initializer_list<std::string_view> schemes, bool needsPath) {
  if (value.empty()) return;
  YAML::Node at = reader.get(key);
  try {
    Poco::URI uri(value);
    bool schemeOk = false;
    for (auto s : schemes) schemeOk = schemeOk || uri.getScheme() == s;
    std::string expected;
    for (auto s : schemes) expected += (expected.empty() ? "" : " or ") + std::string(s) + "://";
    if (!schemeOk) {
      reader.fail(at,
                  "'" + reader.name(key) + "' must start with " + expected + ": '" + value + "'");
    }
    if (uri.getHost().empty())
      reader.fail(at, "'" + reader.name(key) + "' has no host: '" + value + "'");
    if (needsPath && uri.getPath().empty()) {
      reader.fail(at, "'" + reader.name(key) + "' has no path: '" + value + "'");
    }
  } catch (const Poco::SyntaxException& e) {
    reader.fail(at, "'" + reader.name(key) + "' is not a valid URL: '" + value + "'");
  }
}

/// The HOST of a HOST:PORT listen address; fails naming the key when it is not one.
std::string listenHost(const MappingReader& reader, std::string_view key, const std::string& value,
                       std::string_view example) {
  auto colon = value.rfind(':');
  int port = -1;
  if (colon != std::string::npos && colon > 0) {
    auto [end, error] =
        std::from_chars(value.data() + colon + 1, value.data() + value.size(), port);
    if (error != std::errc() || end != value.data() + value.size()) port = -1;
  }
  if (port < 0 || port > 65535) {
    reader.fail(reader.get(key), "'" + reader.name(key) + "' must be HOST:PORT (e.g. " +
                                     std::string(example) + "), not '" + value + "'");
  }
  return value.substr(0, colon);
}

/// The file must be UTF-8 without NUL: product fields and plugin settings reach the report.
void checkEncoding(const std::string& yaml, const fs::path& file) {
  const std::optional<std::size_t> fault = firstTextFault(yaml);
  if (!fault) return;
  const auto line =
      std::count(yaml.begin(), yaml.begin() + static_cast<std::ptrdiff_t>(*fault), '\n');
  throw ConfigError(file, static_cast<int>(line) + 1,
                    "the configuration " + *textProblem(yaml) + "; it must be UTF-8 text");
}

/// Walks the whole tree: escapes ("\0") can still make NUL, and yaml-cpp silently keeps only
/// one of two equal keys in a mapping.
void checkNodes(const YAML::Node& node, const fs::path& file, const std::string& path) {
  auto where = [&] { return path.empty() ? std::string("the top level") : "'" + path + "'"; };
  if (node.IsScalar()) {
    if (auto problem = textProblem(node.Scalar())) {
      throw ConfigError(file, lineOf(node), "the value of " + where() + " " + *problem);
    }
  } else if (node.IsSequence()) {
    std::size_t index = 0;
    for (const auto& item : node)
      checkNodes(item, file, path + "[" + std::to_string(index++) + "]");
  } else if (node.IsMap()) {
    std::vector<std::pair<std::string, int>> seen;
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      if (auto problem = textProblem(key)) {
        throw ConfigError(file, lineOf(entry.first), "a key in " + where() + " " + *problem);
      }
      auto first = std::find_if(seen.begin(), seen.end(), [&](auto& s) { return s.first == key; });
      if (first != seen.end()) {
        throw ConfigError(file, lineOf(entry.first),
                          "key '" + key + "' appears twice in " + where() + " (first on line " +
                              std::to_string(first->second) + "); keep one");
      }
      seen.emplace_back(key, lineOf(entry.first));
      checkNodes(entry.second, file, path.empty() ? key : path + "." + key);
    }
  }
}

void readProduct(const MappingReader& root, Config& config) {
  MappingReader r(root.file(), root.get("product"), "product", {"name", "version", "edition"});
  r.read("name", config.product.name);
  r.read("version", config.product.version);
  r.read("edition", config.product.edition,
         std::array<std::pair<std::string_view, Edition>, 2>{
             {{"community", Edition::community}, {"enterprise", Edition::enterprise}}});
  if (config.product.name.empty()) r.fail(r.get("name"), "'product.name' must not be empty");
  if (config.product.version.empty()) {
    r.fail(r.get("version"), "'product.version' must not be empty");
  }
}

void readTelemetry(const MappingReader& root, Config& config) {
  MappingReader r(root.file(), root.get("telemetry"), "telemetry",
                  {"reporter-activate", "initialize", "endpoint", "ca-file", "reporting-period",
                   "request-timeout", "request-retries", "proxy", "hibernate"});
  TelemetryConfig& t = config.telemetry;
  r.read("reporter-activate", t.reporterActivate);
  r.read("initialize", t.initialize);
  r.read("endpoint", t.endpoint);
  checkUrl(r, "endpoint", t.endpoint, {"https", "http"}, false);
  if (t.endpoint.starts_with("http://") && !isLoopbackHost(Poco::URI(t.endpoint).getHost())) {
    r.fail(r.get("endpoint"),
           "'telemetry.endpoint' is plain http:// to a host that is not "
           "loopback; reports leave this machine only over https://");
  }
  std::string caFile;
  r.read("ca-file", caFile);
  t.caFile = anchored(config.source, caFile).string();
  // Found here, not when the first report is due (and then exit 3 instead of 2).
  if (!t.caFile.empty() && ::access(t.caFile.c_str(), R_OK) != 0) {
    r.fail(r.get("ca-file"),
           "'telemetry.ca-file' cannot be read: '" + t.caFile + "' (" + std::strerror(errno) + ")");
  }
  if (!t.caFile.empty() && fs::is_directory(t.caFile)) {
    r.fail(r.get("ca-file"),
           "'telemetry.ca-file' must be a PEM file, not the directory '" + t.caFile + "'");
  }
  r.read("reporting-period", t.reportingPeriod);
  if (t.reportingPeriod.count() <= 0) {
    r.fail(r.get("reporting-period"), "'telemetry.reporting-period' must be longer than 0");
  }
  r.read("request-timeout", t.requestTimeout);
  if (t.requestTimeout.count() <= 0) {
    r.fail(r.get("request-timeout"), "'telemetry.request-timeout' must be longer than 0");
  }
  r.read("request-retries", t.requestRetries, 100);
  r.read("proxy", t.proxy);
  checkUrl(r, "proxy", t.proxy, {"http"}, false);
  r.read("hibernate", t.hibernate);
}

void readState(const MappingReader& root, Config& config) {
  MappingReader r(root.file(), root.get("state"), "state", {"path", "audit-log"});
  std::string path = config.state.path;
  r.read("path", path);
  if (path.empty()) r.fail(r.get("path"), "'state.path' must not be empty");
  if (path.find("://") != std::string::npos) {
    checkUrl(r, "path", path, {"postgresql"}, true);
    config.state.path = path;
  } else {
    config.state.path = anchored(config.source, path).string();
  }
  std::string audit = config.state.auditLog;
  r.read("audit-log", audit);
  config.state.auditLog = anchored(config.source, audit).string();
}

void readUsage(const MappingReader& root, Config& config) {
  MappingReader r(root.file(), root.get("usage"), "usage",
                  {"history-level", "statsd-listen", "exact-task-workers", "checkpoint-interval"});
  r.read("exact-task-workers", config.usage.exactTaskWorkers, 10000000);
  r.read("checkpoint-interval", config.usage.checkpointInterval);
  if (config.usage.checkpointInterval.count() <= 0) {
    r.fail(r.get("checkpoint-interval"), "'usage.checkpoint-interval' must be longer than 0");
  }
  r.read("history-level", config.usage.historyLevel,
         std::array<std::pair<std::string_view, HistoryLevel>, 4>{
             {{"none", HistoryLevel::none},
              {"activity", HistoryLevel::activity},
              {"audit", HistoryLevel::audit},
              {"full", HistoryLevel::full}}});
  std::string& statsd = config.usage.statsdListen;
  r.read("statsd-listen", statsd);
  if (statsd.empty()) return;
  // StatsD has no authentication: anyone who can reach the port can invent counts.
  if (!isLoopbackHost(listenHost(r, "statsd-listen", statsd, "127.0.0.1:8125"))) {
    r.fail(r.get("statsd-listen"),
           "'usage.statsd-listen' must be a loopback address (127.0.0.1, ::1 or localhost), "
           "not '" +
               statsd + "': StatsD has no authentication");
  }
}

void readEnabledPlugins(const MappingReader& plugins, Config& config) {
  YAML::Node list = plugins.get("enabled");
  if (!list || list.IsNull()) return;
  if (!list.IsSequence()) {
    plugins.fail(list, "'plugins.enabled' must be a list of plugins ('- name: jdk')");
  }
  for (const auto& item : list) {
    EnabledPlugin entry;
    entry.line = lineOf(item);
    if (item.IsScalar()) {
      entry.name = item.Scalar();
    } else {
      MappingReader r(plugins.file(), item, "plugins.enabled[]", {"name", "settings"});
      r.read("name", entry.name);
      if (entry.name.empty()) r.fail(item, "a plugin in 'plugins.enabled' has no 'name'");
      YAML::Node settings = r.get("settings");
      if (settings && !settings.IsNull()) {
        if (!settings.IsMap()) {
          r.fail(settings, "'settings' of plugin '" + entry.name + "' must be a mapping");
        }
        std::ostringstream json;
        toJson(settings).extract<Poco::JSON::Object::Ptr>()->stringify(json);
        entry.settingsJson = json.str();
      }
    }
    for (const auto& seen : config.plugins.enabled) {
      if (seen.name == entry.name) {
        plugins.fail(item, "plugin '" + entry.name + "' is enabled twice (first on line " +
                               std::to_string(seen.line) + ")");
      }
    }
    config.plugins.enabled.push_back(std::move(entry));
  }
}

void readPlugins(const MappingReader& root, Config& config) {
  MappingReader r(root.file(), root.get("plugins"), "plugins",
                  {"paths", "isolation", "timeout", "allow-unsafe", "enabled", "probe-helper"});
  YAML::Node paths = r.get("paths");
  if (paths && !paths.IsNull()) {
    if (paths.IsScalar()) {
      config.plugins.paths.push_back(anchored(config.source, paths.Scalar()));
    } else if (paths.IsSequence()) {
      for (const auto& p : paths) {
        if (!p.IsScalar()) r.fail(p, "'plugins.paths' must be a list of directories");
        config.plugins.paths.push_back(anchored(config.source, p.Scalar()));
      }
    } else {
      r.fail(paths, "'plugins.paths' must be a list of directories");
    }
  }
  r.read("isolation", config.plugins.isolation,
         std::array<std::pair<std::string_view, Isolation>, 2>{
             {{"process", Isolation::process}, {"in-process", Isolation::inProcess}}});
  r.read("timeout", config.plugins.timeout);
  if (config.plugins.timeout.count() <= 0) {
    r.fail(r.get("timeout"), "'plugins.timeout' must be longer than 0");
  }
  r.read("allow-unsafe", config.plugins.allowUnsafe);
  std::string helper;
  r.read("probe-helper", helper);
  if (!helper.empty()) {
    config.plugins.probeHelper = anchored(config.source, helper);
    // Else every probe would fail, one section at a time, at the next report.
    const std::string file = config.plugins.probeHelper.string();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec) || ::access(file.c_str(), X_OK) != 0) {
      r.fail(r.get("probe-helper"),
             "'plugins.probe-helper' must be an executable file: '" + file + "'");
    }
  }
  readEnabledPlugins(r, config);
}

void readApi(const MappingReader& root, Config& config) {
  MappingReader r(root.file(), root.get("api"), "api",
                  {"listen", "users-file", "admin-group", "tls-cert", "tls-key"});
  r.read("listen", config.api.listen);
  config.api.listenLine = lineOf(r.get("listen"));
  config.api.tlsCertLine = lineOf(r.get("tls-cert"));
  std::string users = config.api.usersFile;
  r.read("users-file", users);
  config.api.usersFile = anchored(config.source, users).string();
  r.read("admin-group", config.api.adminGroup);
  if (config.api.adminGroup.empty()) {
    r.fail(r.get("admin-group"), "'api.admin-group' must not be empty");
  }
  std::string cert;
  std::string key;
  r.read("tls-cert", cert);
  r.read("tls-key", key);
  if (cert.empty() != key.empty()) {
    r.fail(r.get(cert.empty() ? "tls-key" : "tls-cert"),
           "'api.tls-cert' and 'api.tls-key' go together: set both for HTTPS, or neither");
  }
  if (!cert.empty()) {
    config.api.tlsCert = anchored(config.source, cert).string();
    config.api.tlsKey = anchored(config.source, key).string();
  }
  if (config.api.listen.empty()) return;
  // HTTP Basic sends passwords with every request: in clear text only over loopback.
  if (!isLoopbackHost(listenHost(r, "listen", config.api.listen, "127.0.0.1:8085")) &&
      cert.empty()) {
    r.fail(r.get("listen"),
           "'api.listen' on a non-loopback address needs 'api.tls-cert' and "
           "'api.tls-key': HTTP Basic would send passwords in clear text");
  }
}

void readLogging(const MappingReader& root, Config& config) {
  MappingReader r(root.file(), root.get("logging"), "logging", {"level"});
  r.read("level", config.logging.level);
  if (std::find(kLogLevels.begin(), kLogLevels.end(), config.logging.level) == kLogLevels.end()) {
    r.fail(r.get("level"), "'logging.level' " + logLevelChoice(config.logging.level));
  }
}

}  // namespace

std::string toString(Edition edition) {
  return edition == Edition::enterprise ? "enterprise" : "community";
}

std::string toString(HistoryLevel level) {
  switch (level) {
    case HistoryLevel::none:
      return "none";
    case HistoryLevel::activity:
      return "activity";
    case HistoryLevel::audit:
      return "audit";
    case HistoryLevel::full:
      break;
  }
  return "full";
}

std::string toString(Isolation isolation) {
  return isolation == Isolation::inProcess ? "in-process" : "process";
}

Config parseConfig(const std::string& yaml, const std::filesystem::path& file) {
  checkEncoding(yaml, file);
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(file, e.mark.is_null() ? 0 : e.mark.line + 1, "invalid YAML: " + e.msg);
  }
  checkNodes(root, file, "");
  Config config;
  config.source = file;
  MappingReader reader(file, root, "",
                       {"product", "telemetry", "state", "usage", "plugins", "api", "logging"});
  readProduct(reader, config);
  readTelemetry(reader, config);
  readState(reader, config);
  readUsage(reader, config);
  readPlugins(reader, config);
  readApi(reader, config);
  readLogging(reader, config);
  return config;
}

Config loadConfig(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigError(file, 0, "cannot read configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  return parseConfig(text.str(), file);
}

std::optional<std::filesystem::path> locateConfig(const std::optional<std::string>& option) {
  if (option) return fs::path(*option);
  if (const char* env = std::getenv("TELEMETRY_CONFIG"); env != nullptr && *env != '\0') {
    return fs::path(env);
  }
  std::error_code ec;
  if (fs::is_regular_file("telemetry.yaml", ec)) return fs::path("telemetry.yaml");
  if (fs::is_regular_file("/etc/telemetry/telemetry.yaml", ec)) {
    return fs::path("/etc/telemetry/telemetry.yaml");
  }
  return std::nullopt;
}

Config loadEffectiveConfig(const std::optional<std::string>& option) {
  auto file = locateConfig(option);
  return file ? loadConfig(*file) : Config{};
}

std::filesystem::path defaultPluginDirectory() {
  if (const char* env = std::getenv("TELEMETRY_PLUGIN_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  // The build and an installation both keep plugins in PREFIX/lib/telemetry/plugins
  // beside PREFIX/bin, so a relocated tree still finds its own plugins.
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path candidate = exe.parent_path().parent_path() / "lib/telemetry/plugins";
    if (fs::is_directory(candidate, ec)) return candidate;
  }
  return TELEMETRY_INSTALLED_PLUGIN_DIR;
}

std::vector<std::filesystem::path> pluginSearchPath(const Config& config) {
  if (!config.plugins.paths.empty()) return config.plugins.paths;
  return {defaultPluginDirectory()};
}

}  // namespace telemetry
