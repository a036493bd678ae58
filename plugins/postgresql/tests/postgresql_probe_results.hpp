// What the PostgreSQL-protocol probe tests share: running the plugin on a URL, reading its
// section, and asking the same server through psql.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <string>

#include <telemetry/plugin/testing.hpp>
#include <telemetry/plugins/testing/command_output.hpp>
#include <telemetry/test/service_url.hpp>

namespace telemetry::test {

using plugin::testing::PluginHarness;
using plugins::testing::commandOutput;

inline const PluginHarness& postgresqlPlugin() {
  static const PluginHarness harness(TELEMETRY_PLUGIN_FILE);
  return harness;
}

/// {"url": URL} plus `extra` (", \"key\": value" pairs).
inline std::string settingsFor(const std::string& url, const std::string& extra = "") {
  return R"({"url": ")" + url + "\"" + extra + "}";
}

inline Poco::JSON::Object::Ptr sectionOf(const plugin::Result& result) {
  EXPECT_EQ(result.kind(), plugin::Result::Kind::value) << result.text();
  return Poco::JSON::Parser().parse(result.text()).extract<Poco::JSON::Object::Ptr>();
}

inline std::string psql(const std::string& url, const std::string& sql) {
  return commandOutput("psql '" + url + "' -AtXc \"" + sql + "\"");
}

}  // namespace telemetry::test
