#include "telemetry/config_loader.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string_view>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/URI.h>
#include <yaml-cpp/yaml.h>

#include "config/logging.hpp"
#include "delivery/loopback_host.hpp"
#include "plugins/plugin_needs.hpp"
#include "report/utf8_text.hpp"
#include "telemetry/plugin/suggest.hpp"
#include "telemetry/settings/duration.hpp"
#include "telemetry/settings/listen_address.hpp"
#include "telemetry/settings/yaml_document.hpp"
#include "telemetry/settings/yaml_section.hpp"

namespace telemetry {
namespace {

namespace fs = std::filesystem;

using settings::lineOf;
using settings::YamlSection;

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

void checkUrl(const YamlSection& reader, std::string_view key, const std::string& value,
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
std::string listenHost(const YamlSection& reader, std::string_view key, const std::string& value,
                       std::string_view example) {
  try {
    std::string host = settings::parseListenAddress(value).host;
    if (!host.empty()) return host;
  } catch (const std::invalid_argument&) {
  }
  reader.fail(reader.get(key), "'" + reader.name(key) + "' must be HOST:PORT (e.g. " +
                                   std::string(example) + "), not '" + value + "'");
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

void readProduct(const YamlSection& root, Config& config) {
  YamlSection r = root.section("product", {"name", "version", "edition"});
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

void readTelemetry(const YamlSection& root, Config& config) {
  YamlSection r = root.section(
      "telemetry", {"reporter-activate", "initialize", "endpoint", "ca-file", "reporting-period",
                    "request-timeout", "request-retries", "proxy", "compress", "hibernate"});
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
  t.caFile = r.resolve(caFile).string();
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
  r.read("compress", t.compress);
  r.read("hibernate", t.hibernate);
}

void readState(const YamlSection& root, Config& config) {
  YamlSection r = root.section("state", {"path", "audit-log"});
  std::string path = config.state.path;
  r.read("path", path);
  if (path.empty()) r.fail(r.get("path"), "'state.path' must not be empty");
  if (path.find("://") != std::string::npos) {
    checkUrl(r, "path", path, {"postgresql"}, true);
    config.state.path = path;
  } else {
    config.state.path = r.resolve(path).string();
  }
  std::string audit = config.state.auditLog;
  r.read("audit-log", audit);
  config.state.auditLog = r.resolve(audit).string();
}

void readUsage(const YamlSection& root, Config& config) {
  YamlSection r = root.section(
      "usage", {"history-level", "statsd-listen", "exact-task-workers", "checkpoint-interval"});
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

void readEnabledPlugins(const YamlSection& plugins, Config& config) {
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
      YamlSection r(plugins.origin(), item, "plugins.enabled[]", {"name", "settings"});
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

/// `plugins.deny`: {PLUGIN: [NEED, ...]}, needs an operator withholds from a plugin.
void readDeniedNeeds(const YamlSection& plugins, Config& config) {
  YAML::Node deny = plugins.get("deny");
  if (!YamlSection::isSet(deny)) return;
  if (!deny.IsMap()) plugins.fail(deny, "'plugins.deny' must map plugin names to lists of needs");
  const std::vector<std::string> known = needNames();
  for (const auto& entry : deny) {
    const std::string plugin = entry.first.Scalar();
    plugin::Needs& needs = config.plugins.deniedNeeds[plugin];
    YAML::Node list = entry.second;
    if (list.IsScalar()) list = YAML::Node(std::vector<std::string>{list.Scalar()});
    if (!list.IsSequence()) {
      plugins.fail(entry.second, "'plugins.deny." + plugin + "' must be a list of needs");
    }
    for (const auto& item : list) {
      const YAML::Node at = item;
      std::string word = at.IsScalar() ? at.Scalar() : std::string();
      auto need = needNamed(word);
      if (!need) {
        plugins.fail(at, "unknown need '" + word + "' in 'plugins.deny." + plugin + "'" +
                             settings::didYouMean(word, known));
      }
      needs |= static_cast<plugin::Needs>(*need);
    }
  }
}

void readPlugins(const YamlSection& root, Config& config) {
  YamlSection r = root.section("plugins", {"paths", "isolation", "timeout", "allow-unsafe",
                                           "enabled", "probe-helper", "sandbox", "deny"});
  YAML::Node paths = r.get("paths");
  if (paths && !paths.IsNull()) {
    if (paths.IsScalar()) {
      config.plugins.paths.push_back(r.resolve(paths.Scalar()));
    } else if (paths.IsSequence()) {
      for (const auto& p : paths) {
        if (!p.IsScalar()) r.fail(p, "'plugins.paths' must be a list of directories");
        config.plugins.paths.push_back(r.resolve(p.Scalar()));
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
    config.plugins.probeHelper = r.resolve(helper);
    // Else every probe would fail, one section at a time, at the next report.
    const std::string file = config.plugins.probeHelper.string();
    std::error_code ec;
    if (!fs::is_regular_file(file, ec) || ::access(file.c_str(), X_OK) != 0) {
      r.fail(r.get("probe-helper"),
             "'plugins.probe-helper' must be an executable file: '" + file + "'");
    }
  }
  r.read(
      "sandbox", config.plugins.strictSandbox,
      std::array<std::pair<std::string_view, bool>, 2>{{{"best-effort", false}, {"strict", true}}});
  readDeniedNeeds(r, config);
  readEnabledPlugins(r, config);
}

void readApi(const YamlSection& root, Config& config) {
  YamlSection r =
      root.section("api", {"listen", "users-file", "admin-group", "tls-cert", "tls-key"});
  r.read("listen", config.api.listen);
  config.api.listenLine = lineOf(r.get("listen"));
  config.api.tlsCertLine = lineOf(r.get("tls-cert"));
  std::string users = config.api.usersFile;
  r.read("users-file", users);
  config.api.usersFile = r.resolve(users).string();
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
    config.api.tlsCert = r.resolve(cert).string();
    config.api.tlsKey = r.resolve(key).string();
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

void readLogging(const YamlSection& root, Config& config) {
  YamlSection r = root.section("logging", {"level"});
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
  const YAML::Node root = settings::parseYaml(yaml, file);
  checkNodes(root, file, "");
  Config config;
  config.source = file;
  YamlSection reader({file, file}, root, "",
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
  return parseConfig(settings::readConfigFile(file), file);
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
