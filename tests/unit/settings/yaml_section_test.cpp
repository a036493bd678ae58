#include "telemetry/settings/yaml_section.hpp"

#include <array>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/settings/config_error.hpp"
#include "telemetry/settings/yaml_document.hpp"

using namespace std::chrono_literals;
using telemetry::settings::ConfigError;
using telemetry::settings::Duration;
using telemetry::settings::parseYaml;
using telemetry::settings::UnknownKeyNaming;
using telemetry::settings::YamlOrigin;
using telemetry::settings::YamlSection;

namespace {

const YamlOrigin kOrigin{"/etc/x/app.yaml", "/etc/x/app.yaml", UnknownKeyNaming::inSection};

enum class Colour { red, green };

/// What the example file below holds.
struct Settings {
  std::string name;
  bool enabled = false;
  int retries = 0;
  Duration period{0};
  unsigned burst = 1;
  std::filesystem::path data;
  Colour colour = Colour::red;
};

/// Reads an example file with a top level and one section, as a program would.
Settings read(const std::string& yaml, const YamlOrigin& origin = kOrigin) {
  YamlSection root(origin, parseYaml(yaml, origin.shownAs), "", {"name", "server"});
  Settings s;
  root.read("name", s.name);
  YamlSection server =
      root.section("server", {"enabled", "retries", "period", "burst", "data", "colour"});
  server.read("enabled", s.enabled);
  server.read("retries", s.retries, 10);
  server.read("period", s.period);
  server.readPositive("burst", s.burst);
  server.readPath("data", s.data);
  server.read("colour", s.colour,
              std::array<std::pair<std::string_view, Colour>, 2>{
                  {{"red", Colour::red}, {"green", Colour::green}}});
  return s;
}

std::string errorOf(const std::string& yaml, const YamlOrigin& origin = kOrigin) {
  try {
    read(yaml, origin);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(YamlSectionTest, ReadsTypedValues) {
  const Settings s = read(
      "name: shop\nserver:\n  enabled: true\n  retries: 3\n  period: 2d\n  burst: 5\n"
      "  data: var/db\n  colour: green\n");
  EXPECT_EQ(s.name, "shop");
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.retries, 3);
  EXPECT_EQ(s.period, 48h);
  EXPECT_EQ(s.burst, 5u);
  EXPECT_EQ(s.data, "/etc/x/var/db");
  EXPECT_EQ(s.colour, Colour::green);
}

TEST(YamlSectionTest, LeavesDefaultsForAbsentOrEmptySections) {
  EXPECT_EQ(read("name: shop\n").burst, 1u);
  EXPECT_EQ(read("server:\n").retries, 0);
  EXPECT_EQ(read("").name, "");
}

TEST(YamlSectionTest, NamesFileLineAndKeyOfAnUnknownKeyWithASuggestion) {
  EXPECT_EQ(errorOf("name: shop\nserver:\n  enabld: true\n"),
            "/etc/x/app.yaml:3: unknown key 'enabld' in 'server' (did you mean 'enabled'?)");
  EXPECT_EQ(errorOf("\nnme: shop\n"),
            "/etc/x/app.yaml:2: unknown key 'nme' (did you mean 'name'?)");
  EXPECT_EQ(errorOf("server: { zzz: 1 }\n"), "/etc/x/app.yaml:1: unknown key 'zzz' in 'server'");
}

TEST(YamlSectionTest, RefusesAKeyWrittenTwiceNamingBothLines) {
  // Before: the first value won and the second was ignored without a word.
  EXPECT_EQ(
      errorOf("name: shop\nserver:\n  retries: 1\n  retries: 2\n"),
      "/etc/x/app.yaml:4: key 'retries' appears twice in 'server' (first on line 3); keep one");
  EXPECT_EQ(
      errorOf("name: a\nname: b\n"),
      "/etc/x/app.yaml:2: key 'name' appears twice in the top level (first on line 1); keep one");
  EXPECT_EQ(errorOf("server: { burst: 1, burst: 2 }\n"),
            "/etc/x/app.yaml:1: key 'burst' appears twice in 'server' (first on line 1); keep one");
}

TEST(YamlSectionTest, CanNameAnUnknownKeyByItsDottedPath) {
  const YamlOrigin dotted{"/etc/x/app.yaml", "app.yaml", UnknownKeyNaming::dotted};
  EXPECT_EQ(errorOf("server:\n  burts: 1\n", dotted),
            "app.yaml:2: unknown key 'server.burts' (did you mean 'burst'?)");
}

TEST(YamlSectionTest, NamesFileLineAndFieldOfAWrongValue) {
  EXPECT_EQ(errorOf("server:\n  enabled: maybe\n"),
            "/etc/x/app.yaml:2: 'server.enabled' must be true or false, not 'maybe'");
  EXPECT_EQ(errorOf("server:\n\n  retries: 11\n"),
            "/etc/x/app.yaml:3: 'server.retries' must be a whole number from 0 to 10, not '11'");
  EXPECT_EQ(errorOf("server: { burst: 0 }"),
            "/etc/x/app.yaml:1: 'server.burst' must be a positive integer, not '0'");
  EXPECT_EQ(errorOf("server:\n  data: ''\n"), "/etc/x/app.yaml:2: 'server.data' must not be empty");
  EXPECT_EQ(errorOf("server:\n  colour: gren\n"),
            "/etc/x/app.yaml:2: 'server.colour' must be one of red, green, not 'gren' (did you "
            "mean 'green'?)");
  EXPECT_EQ(errorOf("name: [a, b]\n"), "/etc/x/app.yaml:1: 'name' must be a single value");
  EXPECT_EQ(errorOf("server: 5\n"),
            "/etc/x/app.yaml:1: 'server' must be a mapping of keys to values");
  EXPECT_EQ(errorOf("- a\n"),
            "/etc/x/app.yaml:1: the configuration must be a mapping of keys to values");
}

TEST(YamlSectionTest, NamesFileLineAndFieldOfABadDuration) {
  EXPECT_EQ(errorOf("server:\n  period: 3 weeks\n"),
            "/etc/x/app.yaml:2: 'server.period' is not a duration: '3 weeks' (use seconds, or a "
            "number with ms, s, m, h or d up to 100 years: 500ms, 15s, 10m, 24h, 7d)");
}

TEST(YamlSectionTest, NamesTheLineOfInvalidYaml) {
  EXPECT_THAT(errorOf("name: shop\nserver: [1, 2\n"),
              ::testing::StartsWith("/etc/x/app.yaml:3: invalid YAML: "));
}

TEST(YamlSectionTest, ReadsYamlBooleansInEverySpelling) {
  for (const char* yes : {"true", "True", "yes", "on"}) {
    EXPECT_TRUE(read(std::string("server: { enabled: ") + yes + " }").enabled) << yes;
  }
  EXPECT_FALSE(read("server: { enabled: no }").enabled);
}

TEST(ConfigErrorTest, SaysWhereWhenItKnows) {
  EXPECT_STREQ(ConfigError("a.yaml", 7, "bad").what(), "a.yaml:7: bad");
  EXPECT_EQ(ConfigError("a.yaml", 7, "bad").line(), 7);
  EXPECT_STREQ(ConfigError("a.yaml", 0, "missing").what(), "a.yaml: missing");
  EXPECT_STREQ(ConfigError("", 3, "text").what(), "<config>:3: text");
  EXPECT_STREQ(ConfigError("no place").what(), "no place");
}

TEST(ConfigErrorTest, NamesAFileThatCannotBeRead) {
  EXPECT_THROW(
      {
        try {
          telemetry::settings::readConfigFile("/nonexistent/app.yaml");
        } catch (const ConfigError& e) {
          EXPECT_STREQ(e.what(), "/nonexistent/app.yaml: cannot read configuration file");
          throw;
        }
      },
      ConfigError);
}

}  // namespace
