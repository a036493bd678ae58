// The telemetry-probe child's sandbox on this machine's real kernel: undeclared network,
// writes and a setsid() grandchild, each tried by a mock plugin (tests/mock-plugins).
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "config/logging.hpp"
#include "plugins/plugin_catalog.hpp"
#include "probes/process_probe_runner.hpp"
#include "probes/sandbox/probe_sandbox.hpp"
#include "probes/sandbox/sandbox_support.hpp"
#include "telemetry/test/loopback_listener.hpp"
#include "telemetry/test/process_state.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace fs = std::filesystem;
using namespace telemetry;  // the runner, its tasks and outcomes, the sandbox
using ::testing::HasSubstr;

namespace {

bool hasPendingConnection(const telemetry::test::LoopbackListener& listener) {
  pollfd slot{listener.fd(), POLLIN, 0};
  return ::poll(&slot, 1, 0) == 1;
}

class ProbeConfinementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A grandchild that escaped the child becomes ours, so it is seen (and reaped) here
    // instead of by init.
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
  }

  void TearDown() override {
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }

  ProbeTask task(const std::string& name, std::string settings = "{}") {
    auto plugin = catalog_.find(name);
    EXPECT_NE(plugin, nullptr) << name;
    return ProbeTask{plugin, std::move(settings), std::chrono::seconds(60), {}};
  }

  ProbeOutcome run(const ProbeTask& probe, ProcessProbeRunnerOptions options = {}) {
    options.helper = TELEMETRY_PROBE_HELPER;
    return ProcessProbeRunner(options).run({probe}).front();
  }

  static void requireSeccomp() {
    if (!telemetry::sandboxSupport().seccomp) GTEST_SKIP() << "this kernel offers no seccomp";
  }

  PluginCatalog catalog_{
      {TELEMETRY_MOCK_PLUGIN_DIR},
      {EnabledPlugin{"mock-connects-undeclared"}, EnabledPlugin{"mock-connects-declared"},
       EnabledPlugin{"mock-writes-files"}, EnabledPlugin{"mock-escapes-session"},
       EnabledPlugin{"mock-ptraces-host"}}};
};

TEST_F(ProbeConfinementTest, UndeclaredNetworkIsRefusedAndTheListenerSeesNoConnection) {
  requireSeccomp();
  telemetry::test::LoopbackListener listener;
  ProbeOutcome outcome =
      run(task("mock-connects-undeclared", R"({"port": )" + std::to_string(listener.port()) + "}"));
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::failed);
  EXPECT_EQ(outcome.text, "socket: Permission denied");
  // The probe has ended: a connection it made would be queued on the listener by now.
  EXPECT_FALSE(hasPendingConnection(listener));
}

TEST_F(ProbeConfinementTest, DeclaredNetworkReachesTheListener) {
  telemetry::test::LoopbackListener listener;
  ProbeOutcome outcome =
      run(task("mock-connects-declared", R"({"port": )" + std::to_string(listener.port()) + "}"));
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::value) << outcome.text;
  EXPECT_TRUE(hasPendingConnection(listener));
}

TEST_F(ProbeConfinementTest, NetworkDeniedByTheOperatorFailsSayingWhy) {
  requireSeccomp();
  telemetry::test::LoopbackListener listener;
  ProcessProbeRunnerOptions options;
  options.deniedNeeds["mock-connects-declared"] =
      telemetry::plugin::needsOf({telemetry::plugin::Need::network});
  ProbeOutcome outcome =
      run(task("mock-connects-declared", R"({"port": )" + std::to_string(listener.port()) + "}"),
          options);
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::failed);
  EXPECT_EQ(outcome.text,
            "socket: Permission denied (plugins.deny withholds network from this plugin)");
  EXPECT_FALSE(hasPendingConnection(listener));
}

TEST_F(ProbeConfinementTest, NoFileCanBeWrittenInTmpBesideThePluginOrInTheStateDirectory) {
  if (telemetry::sandboxSupport().landlockAbi == 0) {
    GTEST_SKIP() << "this kernel offers no Landlock";
  }
  telemetry::test::TempDirectory temp;  // under /tmp
  fs::create_directory(temp / "state");
  const fs::path inTmp = temp / "probe.out";
  const fs::path inState = temp / "state" / "telemetry-state.db";
  const fs::path besidePlugin = fs::path(TELEMETRY_MOCK_PLUGIN_DIR) / "mock-writes-files.out";
  ProbeOutcome outcome = run(task(
      "mock-writes-files", R"({"paths": ")" + inTmp.string() + "|" + inState.string() + R"("})"));
  ASSERT_EQ(outcome.status, ProbeOutcome::Status::value) << outcome.text;
  EXPECT_THAT(outcome.text, HasSubstr(R"("written":0)"));
  EXPECT_THAT(outcome.text, HasSubstr(inTmp.string() + ": Permission denied"));
  EXPECT_THAT(outcome.text, HasSubstr(besidePlugin.string() + ": Permission denied"));
  for (const fs::path& file : {inTmp, inState, besidePlugin}) {
    EXPECT_FALSE(fs::exists(file)) << file;
  }
  fs::remove(besidePlugin);  // when the sandbox failed, the next run starts clean
}

TEST_F(ProbeConfinementTest, SetsidGrandchildDoesNotOutliveTheProbe) {
  ProbeOutcome outcome = run(task("mock-escapes-session"));
  ASSERT_EQ(outcome.status, ProbeOutcome::Status::value) << outcome.text;
  pid_t grandchild = std::stoi(outcome.text.substr(outcome.text.find(':') + 1));
  ASSERT_GT(grandchild, 0);
  // Killed before the child's exit; a zombie only until we reap it as its subreaper.
  bool gone = telemetry::test::processIsGone(grandchild);
  if (!gone) ::kill(grandchild, SIGKILL);
  EXPECT_TRUE(gone) << "grandchild " << grandchild
                    << " still ran after the report: " << outcome.text;
}

TEST_F(ProbeConfinementTest, SetsidGrandchildDiesWithAChildKilledAtItsDeadline) {
  requireSeccomp();
  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(log);
  auto& sinks = telemetry::logger("telemetry.plugin")->sinks();
  sinks.push_back(sink);
  ProbeTask hanging = task("mock-escapes-session", R"({"hang": true})");
  hanging.timeout = std::chrono::milliseconds(500);
  ProbeOutcome outcome = run(hanging);
  sinks.erase(std::remove(sinks.begin(), sinks.end(), sink), sinks.end());
  ASSERT_EQ(outcome.status, ProbeOutcome::Status::timedOut) << outcome.text;
  // The child never answered; its log line has the grandchild's pid.
  const std::string text = log.str();
  ASSERT_THAT(text, HasSubstr(R"({"grandchild":)"));
  pid_t grandchild = std::stoi(text.substr(text.find(R"("grandchild":)") + 13));
  ASSERT_GT(grandchild, 0);
  // setsid() was refused, so the host's kill of the process group reaches it.
  EXPECT_THAT(text, HasSubstr(R"("setsid":"Operation not permitted")"));
  bool gone = telemetry::test::waitUntilGone(grandchild, telemetry::test::kNoHang);
  if (!gone) ::kill(grandchild, SIGKILL);
  EXPECT_TRUE(gone) << "grandchild " << grandchild << " outlived its killed probe";
}

TEST_F(ProbeConfinementTest, CannotTraceOrReadTheHost) {
  requireSeccomp();
  ProbeOutcome outcome = run(task("mock-ptraces-host"));
  ASSERT_EQ(outcome.status, ProbeOutcome::Status::value) << outcome.text;
  EXPECT_EQ(outcome.text,
            R"({"ptrace":"Operation not permitted","process_vm_readv":"Operation not permitted"})");
}

TEST(ProbeSandboxTest, StrictRefusesToRunWhereTheKernelLacksAMechanism) {
  telemetry::PluginInfo plugin;
  plugin.name = "jdk";
  telemetry::SandboxSupport without;  // neither Landlock nor seccomp
  auto refusal = telemetry::ProbeSandbox(plugin, {true, true, {}}, without).refusal();
  ASSERT_TRUE(refusal.has_value());
  EXPECT_THAT(*refusal, HasSubstr("plugins.sandbox is strict and this kernel offers no landlock"));
  EXPECT_FALSE(telemetry::ProbeSandbox(plugin, {true, false, {}}, without).refusal());
  EXPECT_FALSE(telemetry::ProbeSandbox(plugin, {true, true, {}}, {3, true}).refusal());
}

TEST(ProbeSandboxTest, DescribesWhatWasDeclaredAndHowItIsConfined) {
  telemetry::PluginInfo plugin;
  plugin.name = "postgresql";
  plugin.needs = telemetry::plugin::needsOf({telemetry::plugin::Need::network});
  using Lines = std::vector<std::pair<std::string, std::string>>;
  Lines lines = telemetry::ProbeSandbox(plugin, {true, false, {}}, {3, true}).describe();
  EXPECT_EQ(lines[0], (Lines::value_type{"network", "declared"}));
  EXPECT_EQ(lines[1], (Lines::value_type{"writes", "denied (landlock ABI 3)"}));
  telemetry::SandboxPolicy denying{true, false, {{"postgresql", plugin.needs}}};
  lines = telemetry::ProbeSandbox(plugin, denying, {3, true}).describe();
  EXPECT_EQ(lines[0].second, "declared, denied by plugins.deny (seccomp)");
  lines = telemetry::ProbeSandbox(plugin, {false, false, {}}, {3, true}).describe();
  EXPECT_EQ(lines, (Lines{{"sandbox", "none (plugins.isolation: in-process)"}}));
}

}  // namespace
