#include "telemetry/config_loader.hpp"

#include <fstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace std::chrono_literals;
using telemetry::Config;
using telemetry::ConfigError;
using telemetry::parseConfig;
using ::testing::HasSubstr;

namespace {

/// The message of the ConfigError that parsing `yaml` raises, or "" when it parses.
std::string errorOf(const std::string& yaml) {
  try {
    parseConfig(yaml, "/etc/x/telemetry.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return {};
}

TEST(ConfigLoaderTest, EmptyFileGivesTheContractDefaults) {
  Config c = parseConfig("", "t.yaml");
  EXPECT_EQ(c.product.name, "Camunda BPM Runtime");
  EXPECT_TRUE(c.telemetry.reporterActivate);
  EXPECT_EQ(c.telemetry.initialize, std::nullopt) << "nobody decided";
  EXPECT_EQ(c.telemetry.reportingPeriod, 24h);
  EXPECT_EQ(c.telemetry.requestTimeout, 15s);
  EXPECT_EQ(c.telemetry.requestRetries, 2);
  EXPECT_EQ(c.plugins.isolation, telemetry::Isolation::process);
  EXPECT_EQ(c.plugins.timeout, 10s);
  EXPECT_EQ(c.usage.historyLevel, telemetry::HistoryLevel::full);
  EXPECT_EQ(c.usage.checkpointInterval, 1min);
  EXPECT_EQ(c.api.adminGroup, "telemetry-admin");
  EXPECT_EQ(c.logging.level, "info");
}

TEST(ConfigLoaderTest, InitializeFalseIsADecisionUnlikeLeavingItOut) {
  EXPECT_EQ(parseConfig("telemetry: { initialize: false }", "t.yaml").telemetry.initialize,
            std::optional<bool>(false));
  EXPECT_EQ(parseConfig("telemetry: { initialize: ~ }", "t.yaml").telemetry.initialize,
            std::nullopt);
  EXPECT_THAT(errorOf("telemetry: { initialize: maybe }"), HasSubstr("true or false"));
}

TEST(ConfigLoaderTest, ReadsTheExampleConfigurationShippedInConfig) {
  Config c = telemetry::loadConfig(TELEMETRY_SOURCE_DIR "/config/telemetry.yaml");
  EXPECT_EQ(c.product.version, "7.14.0");
  EXPECT_FALSE(c.plugins.enabled.empty());
}

TEST(ConfigLoaderTest, ReadsEveryKey) {
  Config c = parseConfig(R"(
product: { name: Engine, version: 1.2.3, edition: enterprise }
telemetry:
  reporter-activate: false
  initialize: true
  endpoint: https://collector.example.com:8443/pings
  ca-file: /dev/null
  reporting-period: 10m
  request-timeout: 500ms
  request-retries: 5
  proxy: http://proxy:3128
  compress: true
state: { path: data/state.db, audit-log: /var/log/sent.jsonl }
usage: { history-level: none, statsd-listen: "127.0.0.1:8125", checkpoint-interval: 5s }
plugins:
  paths: [plugins, /opt/p]
  isolation: in-process
  timeout: 3s
  allow-unsafe: true
  enabled:
    - jdk
    - name: postgresql
      settings: { url: "postgresql://u@h/db", connect-timeout: 2s, port: 5432, ssl: true }
api: { listen: "127.0.0.1:8085", users-file: users.yaml, admin-group: admins }
logging: { level: debug }
)",
                         "/etc/x/telemetry.yaml");
  EXPECT_EQ(c.product.edition, telemetry::Edition::enterprise);
  EXPECT_FALSE(c.telemetry.reporterActivate);
  EXPECT_EQ(c.telemetry.initialize, std::optional<bool>(true));
  EXPECT_EQ(c.telemetry.endpoint, "https://collector.example.com:8443/pings");
  EXPECT_EQ(c.telemetry.caFile, "/dev/null");  // must exist: config_files_test.cpp
  EXPECT_EQ(c.telemetry.reportingPeriod, 10min);
  EXPECT_EQ(c.telemetry.requestTimeout, 500ms);
  EXPECT_EQ(c.telemetry.requestRetries, 5);
  EXPECT_EQ(c.telemetry.proxy, "http://proxy:3128");
  EXPECT_TRUE(c.telemetry.compress);
  EXPECT_FALSE(parseConfig("logging: { level: info }", "t.yaml").telemetry.compress);
  EXPECT_EQ(c.state.path, "/etc/x/data/state.db");
  EXPECT_EQ(c.state.auditLog, "/var/log/sent.jsonl");
  EXPECT_EQ(c.usage.historyLevel, telemetry::HistoryLevel::none);
  EXPECT_EQ(c.usage.statsdListen, "127.0.0.1:8125");
  EXPECT_EQ(c.usage.checkpointInterval, 5s);
  ASSERT_EQ(c.plugins.paths.size(), 2u);
  EXPECT_EQ(c.plugins.paths[0], "/etc/x/plugins");
  EXPECT_EQ(c.plugins.paths[1], "/opt/p");
  EXPECT_EQ(c.plugins.isolation, telemetry::Isolation::inProcess);
  EXPECT_EQ(c.plugins.timeout, 3s);
  EXPECT_TRUE(c.plugins.allowUnsafe);
  ASSERT_EQ(c.plugins.enabled.size(), 2u);
  EXPECT_EQ(c.plugins.enabled[0].name, "jdk");
  EXPECT_EQ(c.plugins.enabled[0].settingsJson, "{}");
  EXPECT_EQ(c.plugins.enabled[1].settingsJson,
            R"({"url":"postgresql://u@h/db","connect-timeout":"2s","port":5432,"ssl":true})");
  EXPECT_EQ(c.api.listen, "127.0.0.1:8085");
  EXPECT_EQ(c.api.usersFile, "/etc/x/users.yaml");
  EXPECT_EQ(c.api.adminGroup, "admins");
  EXPECT_EQ(c.logging.level, "debug");
}

TEST(ConfigLoaderTest, StatePathMayBeAPostgresqlUrl) {
  Config c = parseConfig("state: { path: 'postgresql://u:p@db:5432/telemetry' }", "t.yaml");
  EXPECT_EQ(c.state.path, "postgresql://u:p@db:5432/telemetry");
}

TEST(ConfigLoaderTest, QuotedSettingsStayStrings) {
  Config c =
      parseConfig("plugins: { enabled: [ { name: x, settings: { a: '5', b: 5 } } ] }", "t.yaml");
  EXPECT_EQ(c.plugins.enabled[0].settingsJson, R"({"a":"5","b":5})");
}

TEST(ConfigLoaderTest, MisspeltKeyNamesFileLineAndTheRightKey) {
  EXPECT_EQ(errorOf("telemetry:\n  endpoint: https://x/p\n  reportng-period: 1h\n"),
            "/etc/x/telemetry.yaml:3: unknown key 'reportng-period' in 'telemetry' "
            "(did you mean 'reporting-period'?)");
}

TEST(ConfigLoaderTest, UnknownTopLevelKeyIsAnError) {
  EXPECT_THAT(errorOf("\nloging: { level: info }"),
              HasSubstr("telemetry.yaml:2: unknown key 'loging' (did you mean 'logging'?)"));
}

TEST(ConfigLoaderTest, UnknownKeyWithoutNearMatchSuggestsNothing) {
  std::string error = errorOf("state: { colour: blue }");
  EXPECT_THAT(error, HasSubstr(":1: unknown key 'colour' in 'state'"));
  EXPECT_THAT(error, ::testing::Not(HasSubstr("did you mean")));
}

TEST(ConfigLoaderTest, WrongTypesNameKeyAndLine) {
  EXPECT_THAT(errorOf("telemetry:\n  reporter-activate: maybe"),
              HasSubstr(":2: 'telemetry.reporter-activate' must be true or false, not 'maybe'"));
  EXPECT_THAT(errorOf("telemetry:\n  request-retries: lots"),
              HasSubstr(":2: 'telemetry.request-retries' must be a whole number"));
  EXPECT_THAT(errorOf("telemetry:\n  request-retries: -1"),
              HasSubstr("'telemetry.request-retries' must be a whole number"));
  EXPECT_THAT(errorOf("product:\n  name: [a, b]"),
              HasSubstr(":2: 'product.name' must be a single value"));
  EXPECT_THAT(errorOf("telemetry: 5"), HasSubstr(":1: 'telemetry' must be a mapping"));
  EXPECT_THAT(errorOf("plugins:\n  enabled: jdk"),
              HasSubstr(":2: 'plugins.enabled' must be a list"));
}

TEST(ConfigLoaderTest, TextThatIsNotUtf8OrHoldsNulNamesFileAndLine) {
  EXPECT_EQ(errorOf("product:\n  version: '1'\n  name: Caf\xe9\n"),
            "/etc/x/telemetry.yaml:3: the configuration is not valid UTF-8 (byte 0xE9 at offset "
            "35); it must be UTF-8 text");
  EXPECT_THAT(errorOf(std::string("product:\n  name: a\0b\n", 20)),
              HasSubstr("telemetry.yaml:2: the configuration holds a NUL character"));
  EXPECT_THAT(errorOf("product:\n  version: '1'\n  name: \"X\\0y\"\n"),
              HasSubstr(":3: the value of 'product.name' holds a NUL character"));
  EXPECT_THAT(errorOf("plugins:\n  enabled:\n    - name: jdk\n      settings:\n"
                      "        home: \"/opt/\\x00\"\n"),
              HasSubstr(":5: the value of 'plugins.enabled[0].settings.home' holds a NUL"));
  EXPECT_THAT(errorOf("\"a\\0\": 1\n"), HasSubstr(":1: a key in the top level holds a NUL"));
  EXPECT_EQ(errorOf("product:\n  name: Grüße €\n  version: '1'\n"), "");
}

TEST(ConfigLoaderTest, AKeyGivenTwiceNamesTheKeyAndBothLines) {
  EXPECT_EQ(errorOf("product:\n  name: A\n  version: '1'\n  name: B\n"),
            "/etc/x/telemetry.yaml:4: key 'name' appears twice in 'product' (first on line 2); "
            "keep one");
  EXPECT_THAT(
      errorOf("telemetry:\n  initialize: true\nstate: {}\ntelemetry:\n  initialize: false\n"),
      HasSubstr(":4: key 'telemetry' appears twice in the top level (first on line 1)"));
  EXPECT_THAT(errorOf("plugins:\n  enabled:\n    - name: jdk\n      settings: {a: 1, a: 2}\n"),
              HasSubstr(":4: key 'a' appears twice in 'plugins.enabled[0].settings'"));
}

TEST(ConfigLoaderTest, BadDurationSaysWhatADurationLooksLike) {
  EXPECT_THAT(errorOf("telemetry:\n  reporting-period: 1w"),
              HasSubstr(":2: 'telemetry.reporting-period' is not a duration: '1w'"));
  EXPECT_THAT(errorOf("plugins: { timeout: 0s }"),
              HasSubstr("'plugins.timeout' must be longer than 0"));
  EXPECT_THAT(errorOf("usage:\n  checkpoint-interval: 0s"),
              HasSubstr(":2: 'usage.checkpoint-interval' must be longer than 0"));
}

// The grammar the collector has always read: days too, up to 100 years.
TEST(ConfigLoaderTest, DurationsMayCountDays) {
  EXPECT_EQ(parseConfig("telemetry: { reporting-period: 7d }", "t.yaml").telemetry.reportingPeriod,
            std::chrono::hours(24 * 7));
  EXPECT_THAT(errorOf("telemetry:\n  reporting-period: 36501d"),
              HasSubstr(":2: 'telemetry.reporting-period' is not a duration: '36501d'"));
}

TEST(ConfigLoaderTest, BadUrlsAreRejected) {
  EXPECT_THAT(errorOf("telemetry:\n  endpoint: ftp://x/pings"),
              HasSubstr(":2: 'telemetry.endpoint' must start with https:// or http://"));
  EXPECT_THAT(errorOf("telemetry: { endpoint: 'https:///pings' }"), HasSubstr("has no host"));
  EXPECT_THAT(errorOf("telemetry: { endpoint: 'https://exa mple.org/%zz' }"),
              HasSubstr("is not a valid URL"));
  EXPECT_THAT(errorOf("telemetry: { proxy: 'https://proxy:3128' }"),
              HasSubstr("'telemetry.proxy' must start with http://"));
  EXPECT_THAT(errorOf("state: { path: 'mysql://h/db' }"),
              HasSubstr("'state.path' must start with postgresql://"));
}

TEST(ConfigLoaderTest, EnumsListTheirChoicesAndSuggest) {
  EXPECT_THAT(errorOf("product: { edition: enterprize }"),
              HasSubstr("'product.edition' must be one of community, enterprise, not "
                        "'enterprize' (did you mean 'enterprise'?)"));
  EXPECT_THAT(errorOf("usage: { history-level: partial }"),
              HasSubstr("must be one of none, activity, audit, full"));
  EXPECT_THAT(errorOf("plugins: { isolation: inprocess }"),
              HasSubstr("(did you mean 'in-process'?)"));
  EXPECT_THAT(errorOf("logging: { level: verbose }"), HasSubstr("'logging.level' must be one of"));
}

TEST(ConfigLoaderTest, ApiListenMustBeHostAndPort) {
  EXPECT_THAT(errorOf("api: { listen: localhost }"), HasSubstr("'api.listen' must be HOST:PORT"));
  EXPECT_THAT(errorOf("api: { listen: 'localhost:99999' }"), HasSubstr("must be HOST:PORT"));
}

TEST(ConfigLoaderTest, StatsdListenIsOffByDefaultAndTakesLoopbackHostAndPort) {
  EXPECT_EQ(parseConfig("", "t.yaml").usage.statsdListen, "");
  for (const char* address : {"'127.0.0.1:8125'", "'[::1]:8125'", "'localhost:0'"}) {
    EXPECT_EQ(errorOf(std::string("usage: { statsd-listen: ") + address + " }"), "") << address;
  }
}

TEST(ConfigLoaderTest, StatsdListenMustBeHostAndPortOnLoopback) {
  EXPECT_EQ(errorOf("usage:\n  statsd-listen: 127.0.0.1\n"),
            "/etc/x/telemetry.yaml:2: 'usage.statsd-listen' must be HOST:PORT (e.g. "
            "127.0.0.1:8125), not '127.0.0.1'");
  EXPECT_THAT(errorOf("usage: { statsd-listen: '127.0.0.1:70000' }"),
              HasSubstr("must be HOST:PORT"));
  EXPECT_EQ(errorOf("usage:\n  history-level: full\n  statsd-listen: 0.0.0.0:8125\n"),
            "/etc/x/telemetry.yaml:3: 'usage.statsd-listen' must be a loopback address "
            "(127.0.0.1, ::1 or localhost), not '0.0.0.0:8125': StatsD has no authentication");
  EXPECT_THAT(errorOf("usage: { statsd-listen: 'metrics.example.org:8125' }"),
              HasSubstr("must be a loopback address"));
}

TEST(ConfigLoaderTest, PluginEnabledTwiceIsAnError) {
  EXPECT_THAT(errorOf("plugins:\n  enabled:\n    - jdk\n    - name: jdk\n"),
              HasSubstr(":4: plugin 'jdk' is enabled twice (first on line 3)"));
}

TEST(ConfigLoaderTest, PluginEntryChecksItsKeys) {
  EXPECT_THAT(errorOf("plugins:\n  enabled:\n    - name: jdk\n      setings: {}\n"),
              HasSubstr(":4: unknown key 'setings' in 'plugins.enabled[]' (did you mean "
                        "'settings'?)"));
  EXPECT_THAT(errorOf("plugins:\n  enabled:\n    - settings: {}\n"), HasSubstr("has no 'name'"));
  EXPECT_THAT(errorOf("plugins:\n  enabled:\n    - name: jdk\n      settings: [1]\n"),
              HasSubstr(":4: 'settings' of plugin 'jdk' must be a mapping"));
}

TEST(ConfigLoaderTest, InvalidYamlNamesTheLine) {
  EXPECT_THAT(errorOf("telemetry:\n  endpoint: [unclosed\n"),
              HasSubstr("telemetry.yaml:3: invalid YAML"));
}

TEST(ConfigLoaderTest, MissingFileIsAConfigError) {
  EXPECT_THROW(telemetry::loadConfig("/nonexistent/telemetry.yaml"), ConfigError);
}

TEST(ConfigLoaderTest, LocateConfigPrefersTheOptionThenTheEnvironment) {
  setenv("TELEMETRY_CONFIG", "/from/env.yaml", 1);
  EXPECT_EQ(telemetry::locateConfig(std::string("/from/option.yaml")), "/from/option.yaml");
  EXPECT_EQ(telemetry::locateConfig(std::nullopt), "/from/env.yaml");
  unsetenv("TELEMETRY_CONFIG");
}

}  // namespace

TEST(ConfigLoaderTest, PluginsSandboxAndDenyAreRead) {
  telemetry::Config defaults = parseConfig("", "t.yaml");
  EXPECT_FALSE(defaults.plugins.strictSandbox);
  EXPECT_TRUE(defaults.plugins.deniedNeeds.empty());
  telemetry::Config c = parseConfig(
      "plugins:\n  sandbox: strict\n  deny:\n    postgresql: [network]\n    mysql: network\n",
      "t.yaml");
  EXPECT_TRUE(c.plugins.strictSandbox);
  const auto network = telemetry::plugin::needsOf({telemetry::plugin::Need::network});
  EXPECT_EQ(c.plugins.deniedNeeds.at("postgresql"), network);
  EXPECT_EQ(c.plugins.deniedNeeds.at("mysql"), network);
}

TEST(ConfigLoaderTest, PluginsDenyNamesTheLineOfAnUnknownNeed) {
  EXPECT_EQ(errorOf("plugins:\n  deny:\n    postgresql:\n      - netwrk\n"),
            "/etc/x/telemetry.yaml:4: unknown need 'netwrk' in 'plugins.deny.postgresql' (did "
            "you mean 'network'?)");
  EXPECT_THAT(errorOf("plugins: { sandbox: strikt }"),
              HasSubstr("'plugins.sandbox' must be one of best-effort, strict"));
  EXPECT_THAT(errorOf("plugins: { deny: [network] }"),
              HasSubstr("'plugins.deny' must map plugin names to lists of needs"));
}
