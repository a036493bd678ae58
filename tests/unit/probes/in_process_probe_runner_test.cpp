#include "probes/in_process_probe_runner.hpp"

#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "plugins/plugin_catalog.hpp"

using telemetry::EnabledPlugin;
using telemetry::InProcessProbeRunner;
using telemetry::PluginCatalog;
using telemetry::ProbeOutcome;
using telemetry::ProbeTask;
using ::testing::HasSubstr;

namespace {

class InProcessProbeRunnerTest : public ::testing::Test {
 protected:
  PluginCatalog catalog{{TELEMETRY_MOCK_PLUGIN_DIR},
                        {EnabledPlugin{"mock-good"}, EnabledPlugin{"mock-throws"},
                         EnabledPlugin{"mock-not-applicable"}, EnabledPlugin{"mock-sleeps"}}};
  InProcessProbeRunner runner;

  ProbeTask task(const std::string& name, std::string settings = "{}") {
    auto plugin = catalog.find(name);
    EXPECT_NE(plugin, nullptr) << name;
    return ProbeTask{plugin, std::move(settings), std::chrono::seconds(30), {}};
  }
};

TEST_F(InProcessProbeRunnerTest, ReturnsOneOutcomePerTaskInOrder) {
  auto outcomes = runner.run({task("mock-good"), task("mock-throws"), task("mock-not-applicable")});
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].plugin, "mock-good");
  EXPECT_EQ(outcomes[0].status, ProbeOutcome::Status::value);
  EXPECT_EQ(outcomes[0].section, "/product/internals/database");
  EXPECT_EQ(outcomes[1].status, ProbeOutcome::Status::failed);
  EXPECT_THAT(outcomes[1].text, HasSubstr("not derived from std::exception"));
  EXPECT_EQ(outcomes[2].status, ProbeOutcome::Status::notApplicable);
}

TEST_F(InProcessProbeRunnerTest, PassesSettingsToTheProbe) {
  // mock-good echoes the length of its settings text into the version.
  auto outcomes = runner.run({task("mock-good", R"({"a":"bc"})")});
  EXPECT_THAT(outcomes[0].text, HasSubstr("1.0 10"));
}

TEST_F(InProcessProbeRunnerTest, AbandonsAProbeThatOverrunsItsDeadline) {
  ProbeTask slow = task("mock-sleeps", R"({"ms": 3000})");
  slow.timeout = std::chrono::milliseconds(50);
  auto outcomes = runner.run({slow, task("mock-good")});
  EXPECT_EQ(outcomes[0].status, ProbeOutcome::Status::timedOut);
  EXPECT_THAT(outcomes[0].text, HasSubstr("no answer within 50 ms"));
  EXPECT_EQ(outcomes[1].status, ProbeOutcome::Status::value);
}

TEST_F(InProcessProbeRunnerTest, NoTasksGiveNoOutcomes) { EXPECT_TRUE(runner.run({}).empty()); }

}  // namespace
