// Tests the built plugin file the way the host runs it, with no host: the SDK's harness
// loads it, hands the probe a context with chosen settings and records what it logs.
#include <sys/utsname.h>

#include <string>

#include <gtest/gtest.h>
#include <telemetry/plugin/testing.hpp>

namespace {

using telemetry::plugin::LogLevel;
using telemetry::plugin::Result;
using telemetry::plugin::testing::LogRecorder;
using telemetry::plugin::testing::PluginHarness;

const PluginHarness& plugin() {
  static const PluginHarness harness(ACME_PLUGIN_FILE);
  return harness;
}

TEST(AcmeProbe, DescribesItself) {
  EXPECT_STREQ(plugin().descriptor().name, "acme_license_server");
  EXPECT_STREQ(plugin().descriptor().section, "/product/internals/acme");
}

TEST(AcmeProbe, ReportsTheKernelReleaseAndLogsIt) {
  LogRecorder log;
  Result result = plugin().collect("{}", {}, std::chrono::seconds(5), log.sink());
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  utsname system{};
  ASSERT_EQ(uname(&system), 0);
  EXPECT_NE(result.text().find(std::string("\"kernel-release\":\"") + system.release + "\""),
            std::string::npos)
      << result.text();
  ASSERT_EQ(log.lines().size(), 1u);
  EXPECT_EQ(log.lines()[0].level, LogLevel::debug);
}

TEST(AcmeProbe, RefusesSettingsItDoesNotKnow) {
  Result result = plugin().collect(R"({"verbose": true})");
  EXPECT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("takes no settings"), std::string::npos) << result.text();
}

}  // namespace
