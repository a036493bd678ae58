// The postgresql plugin declares the network need: in its sandboxed child it still reaches
// the real PostgreSQL of the postgres fixture, unless the operator denies it the network.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugins/plugin_catalog.hpp"
#include "probes/process_probe_runner.hpp"
#include "telemetry/test/service_url.hpp"

using telemetry::EnabledPlugin;
using telemetry::PluginCatalog;
using telemetry::ProbeOutcome;
using telemetry::ProbeTask;
using telemetry::ProcessProbeRunnerOptions;
using ::testing::HasSubstr;

namespace {

class ConfinedPostgresqlTest : public ::testing::Test {
 protected:
  ProbeOutcome run(ProcessProbeRunnerOptions options = {}) {
    auto plugin = catalog_.find("postgresql");
    EXPECT_NE(plugin, nullptr);
    options.helper = TELEMETRY_PROBE_HELPER;
    std::string settings = R"({"url": ")" + telemetry::test::serviceUrl("postgres") + "\"}";
    ProbeTask task{plugin, settings, std::chrono::seconds(60), {}};
    return telemetry::ProcessProbeRunner(options).run({task}).front();
  }

  PluginCatalog catalog_{{TELEMETRY_PLUGIN_DIR}, {EnabledPlugin{"postgresql"}}};
};

TEST_F(ConfinedPostgresqlTest, DeclaresTheNetworkNeed) {
  ASSERT_NE(catalog_.find("postgresql"), nullptr);
  EXPECT_TRUE(telemetry::plugin::contains(catalog_.find("postgresql")->info().needs,
                                          telemetry::plugin::Need::network));
}

TEST_F(ConfinedPostgresqlTest, ReachesTheRealServerFromItsSandbox) {
  ProbeOutcome outcome = run();
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::value) << outcome.text;
  EXPECT_THAT(outcome.text, HasSubstr(R"("vendor":"postgres")"));
}

TEST_F(ConfinedPostgresqlTest, FailsSayingWhyWhenTheOperatorDeniesTheNetwork) {
  ProcessProbeRunnerOptions options;
  options.deniedNeeds["postgresql"] =
      telemetry::plugin::needsOf({telemetry::plugin::Need::network});
  ProbeOutcome outcome = run(options);
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::failed);
  EXPECT_THAT(outcome.text, HasSubstr("(plugins.deny withholds network from this plugin)"));
}

}  // namespace
