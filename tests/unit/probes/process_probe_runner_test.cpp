#include "probes/process_probe_runner.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "config/logging.hpp"
#include "plugins/plugin_catalog.hpp"
#include "report/report_builder.hpp"
#include "telemetry/test/process_state.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace fs = std::filesystem;
using telemetry::EnabledPlugin;
using telemetry::PluginCatalog;
using telemetry::ProbeOutcome;
using telemetry::ProbeTask;
using telemetry::ProcessProbeRunner;
using telemetry::ProcessProbeRunnerOptions;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

// Under ASan/UBSan a crash is reported by the sanitizer, which exits with status 1.
constexpr bool kSanitized = TELEMETRY_SANITIZED;

struct ChildProcess {
  pid_t pid;
  char state;
  pid_t session;
};

/// Processes whose parent is this test process, from /proc.
std::vector<ChildProcess> childrenOfThisProcess() {
  std::vector<ChildProcess> children;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    std::ifstream in(entry.path() / "stat");
    std::string stat;
    if (!std::getline(in, stat)) continue;
    // After "pid (comm)": state ppid pgrp session ...; comm may hold spaces and parentheses.
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    char state = 0;
    pid_t parent = 0, group = 0, session = 0;
    fields >> state >> parent >> group >> session;
    if (parent == ::getpid()) {
      children.push_back({static_cast<pid_t>(std::stol(entry.path().filename())), state, session});
    }
  }
  return children;
}

std::size_t openDescriptors() {
  return static_cast<std::size_t>(
      std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator()));
}

class ProcessProbeRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Orphans of our children become ours, so a grandchild left running is seen below.
    ASSERT_EQ(::prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    descriptorsBefore_ = openDescriptors();
    telemetry::logger("telemetry.plugin")->sinks().push_back(logSink_);
  }

  void TearDown() override {
    auto& sinks = telemetry::logger("telemetry.plugin")->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), logSink_), sinks.end());
    // A helper is its session's leader; one left a zombie was not reaped by the runner.
    for (const ChildProcess& child : childrenOfThisProcess()) {
      EXPECT_FALSE(child.state == 'Z' && child.pid == child.session)
          << "probe child " << child.pid << " was not reaped";
    }
    // Grandchildren were killed with their group; as their subreaper we reap them here.
    std::size_t alive = 0;
    for (auto until = std::chrono::steady_clock::now() + telemetry::test::kNoHang;
         std::chrono::steady_clock::now() < until;
         std::this_thread::sleep_for(std::chrono::milliseconds(10))) {
      alive = 0;
      for (const ChildProcess& child : childrenOfThisProcess()) {
        if (child.state != 'Z') {
          ++alive;
        } else if (child.pid != child.session) {
          ::waitpid(child.pid, nullptr, WNOHANG);
        }
      }
      if (alive == 0) break;
    }
    EXPECT_EQ(alive, 0u) << "processes left running";
    EXPECT_EQ(openDescriptors(), descriptorsBefore_) << "descriptors leaked";
  }

  // A generous default: a dozen sanitized children may share two busy cores. Tests of the
  // timeout set their own.
  ProbeTask task(const std::string& name, std::string settings = "{}",
                 std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
    auto plugin = catalog_.find(name);
    EXPECT_NE(plugin, nullptr) << name;
    return ProbeTask{plugin, std::move(settings), timeout, {}};
  }

  std::vector<ProbeOutcome> run(const std::vector<ProbeTask>& tasks,
                                ProcessProbeRunnerOptions options = {}) {
    options.helper = TELEMETRY_PROBE_HELPER;
    return ProcessProbeRunner(options).run(tasks);
  }

  ProbeOutcome runOne(const ProbeTask& probe) { return run({probe}).front(); }

  std::string logged() const { return log_.str(); }

  PluginCatalog catalog_{
      {TELEMETRY_MOCK_PLUGIN_DIR},
      {EnabledPlugin{"mock-good"}, EnabledPlugin{"mock-throws"},
       EnabledPlugin{"mock-not-applicable"}, EnabledPlugin{"mock-sleeps"},
       EnabledPlugin{"mock-invalid-json"}, EnabledPlugin{"mock-segfaults"},
       EnabledPlugin{"mock-aborts"}, EnabledPlugin{"mock-exits"}, EnabledPlugin{"mock-hangs"},
       EnabledPlugin{"mock-allocates"}, EnabledPlugin{"mock-floods-stdout"},
       EnabledPlugin{"mock-garbage-stdout"}, EnabledPlugin{"mock-spawns-grandchild"},
       EnabledPlugin{"mock-forges-empty-result"}}};

 private:
  std::size_t descriptorsBefore_ = 0;
  std::ostringstream log_;
  spdlog::sink_ptr logSink_ = std::make_shared<spdlog::sinks::ostream_sink_st>(log_);
};

TEST_F(ProcessProbeRunnerTest, ReturnsOneOutcomePerTaskInOrder) {
  auto outcomes = run({task("mock-good"), task("mock-throws"), task("mock-not-applicable")});
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].plugin, "mock-good");
  EXPECT_EQ(outcomes[0].section, "/product/internals/database");
  EXPECT_EQ(outcomes[0].status, ProbeOutcome::Status::value);
  EXPECT_THAT(outcomes[0].text, HasSubstr(R"("vendor":"mock")"));
  EXPECT_EQ(outcomes[1].status, ProbeOutcome::Status::failed);
  EXPECT_THAT(outcomes[1].text, HasSubstr("not derived from std::exception"));
  EXPECT_EQ(outcomes[2].status, ProbeOutcome::Status::notApplicable);
}

TEST_F(ProcessProbeRunnerTest, PassesSettingsAndFactsToTheChild) {
  ProbeTask good = task("mock-good", R"({"a":"bc"})");
  good.facts.emplace("echo", "a fact with spaces");
  ProbeOutcome outcome = runOne(good);
  // mock-good echoes the length of its settings text into the version, and logs the fact.
  EXPECT_THAT(outcome.text, HasSubstr("1.0 10"));
  EXPECT_THAT(logged(), HasSubstr("[mock-good] fact echo=a fact with spaces"));
}

TEST_F(ProcessProbeRunnerTest, ForwardsPluginLogLinesPrefixedWithThePluginName) {
  runOne(task("mock-good"));
  EXPECT_THAT(logged(), HasSubstr("[mock-good] collecting"));
}

TEST_F(ProcessProbeRunnerTest, ReportsACrashWithTheSignalName) {
  ProbeOutcome outcome = runOne(task("mock-segfaults"));
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::failed);
  EXPECT_THAT(outcome.text, kSanitized ? HasSubstr("exited with status 1 without an answer")
                                       : HasSubstr("crashed with SIGSEGV (Segmentation fault)"));
}

TEST_F(ProcessProbeRunnerTest, ReportsAnAbortWithTheSignalName) {
  ProbeOutcome outcome = runOne(task("mock-aborts"));
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::failed);
  EXPECT_THAT(outcome.text, HasSubstr("crashed with SIGABRT (Aborted)"));
}

TEST_F(ProcessProbeRunnerTest, ExitWithoutAnAnswerIsAFailure) {
  ProbeOutcome outcome = runOne(task("mock-exits"));
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::failed);
  EXPECT_THAT(outcome.text, HasSubstr("exited with status 0 without an answer"));
}

TEST_F(ProcessProbeRunnerTest, KillsAProbeThatIgnoresSigtermAfterTheGrace) {
  auto start = std::chrono::steady_clock::now();
  ProbeOutcome outcome = runOne(task("mock-hangs", "{}", std::chrono::milliseconds(300)));
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::timedOut);
  EXPECT_EQ(outcome.text, "no answer within 300 ms");
  EXPECT_LT(std::chrono::steady_clock::now() - start, telemetry::test::kNoHang);
}

TEST_F(ProcessProbeRunnerTest, DiscardsAnAnswerThatComesAfterTheDeadline) {
  ProbeOutcome outcome =
      runOne(task("mock-sleeps", R"({"ms": 5000})", std::chrono::milliseconds(200)));
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::timedOut);
  EXPECT_EQ(outcome.text, "no answer within 200 ms");
}

TEST_F(ProcessProbeRunnerTest, StopsAnAllocationWithoutLimitAtTheMemoryLimit) {
  ProcessProbeRunnerOptions options;
  options.memoryLimitBytes = std::uint64_t{256} << 20;
  ProbeOutcome outcome = run({task("mock-allocates")}, options).front();
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::failed);
  // RLIMIT_AS makes the allocation throw; ASan's RSS limit ends the process instead.
  EXPECT_THAT(outcome.text, kSanitized ? HasSubstr("exited with status 1")
                                       : HasSubstr("collect threw exception: std::bad_alloc"));
}

TEST_F(ProcessProbeRunnerTest, StopsAProbeThatWritesMoreThanOneMebibyte) {
  ProbeOutcome outcome = runOne(task("mock-floods-stdout"));
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::failed);
  EXPECT_EQ(outcome.text, "wrote more than 1 MiB of log lines and console output");
}

TEST_F(ProcessProbeRunnerTest, GarbageOnStdoutAndStderrDoesNotSpoilTheAnswer) {
  ProbeOutcome outcome = runOne(task("mock-garbage-stdout"));
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::value);
  EXPECT_EQ(outcome.text, R"({"clean":true})");
}

// Found while writing the probe_frame_reader fuzz target: the host threw std::out_of_range
// out of the runner for a result frame without its kind byte.
TEST_F(ProcessProbeRunnerTest, AResultFrameWithoutItsKindIsRefusedAsMalformed) {
  ProbeOutcome outcome = runOne(task("mock-forges-empty-result"));
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::failed);
  EXPECT_EQ(outcome.text, "sent a malformed message on the result channel");
}

TEST_F(ProcessProbeRunnerTest, GrandchildHoldingThePipesNeitherHangsTheHostNorSurvives) {
  // Had the runner waited for the pipes to close, the probe would have timed out.
  ProbeOutcome outcome = runOne(task("mock-spawns-grandchild", "{}", std::chrono::seconds(30)));
  ASSERT_EQ(outcome.status, ProbeOutcome::Status::value) << outcome.text;
  // {"grandchild":PID}: the sandboxed child can write no pid file.
  pid_t grandchild = std::stoi(outcome.text.substr(outcome.text.find(':') + 1));
  ASSERT_GT(grandchild, 0);
  EXPECT_TRUE(telemetry::test::waitUntilGone(grandchild, telemetry::test::kNoHang))
      << "grandchild " << grandchild << " still runs";
}

TEST_F(ProcessProbeRunnerTest, ProbeThatFindsNoFreeSlotBeforeItsDeadlineTimesOut) {
  ProcessProbeRunnerOptions options;
  options.parallelism = 1;
  auto outcomes = run({task("mock-hangs", "{}", std::chrono::milliseconds(200)),
                       task("mock-good", "{}", std::chrono::milliseconds(200))},
                      options);
  EXPECT_EQ(outcomes[0].status, ProbeOutcome::Status::timedOut);
  EXPECT_EQ(outcomes[1].status, ProbeOutcome::Status::timedOut);
  EXPECT_EQ(outcomes[1].text, "not started before its deadline (1 probes run at once)");
}

TEST_F(ProcessProbeRunnerTest, MissingHelperFailsEveryProbeNamingIt) {
  ProcessProbeRunnerOptions options;
  options.helper = "/nonexistent/telemetry-probe";
  auto outcomes = ProcessProbeRunner(options).run({task("mock-good"), task("mock-throws")});
  for (const ProbeOutcome& outcome : outcomes) {
    EXPECT_EQ(outcome.status, ProbeOutcome::Status::failed);
    EXPECT_THAT(outcome.text, StartsWith("cannot start /nonexistent/telemetry-probe: "));
  }
}

TEST_F(ProcessProbeRunnerTest, ChildChecksThePluginFileAgainBeforeLoadingIt) {
  telemetry::test::TempDirectory temp;
  fs::copy_file(fs::path(TELEMETRY_MOCK_PLUGIN_DIR) / "mock_good.so", temp / "mock_good.so");
  PluginCatalog catalog({temp.path()}, {EnabledPlugin{"mock-good"}});
  ASSERT_NE(catalog.find("mock-good"), nullptr);
  fs::permissions(temp / "mock_good.so", fs::perms::others_write, fs::perm_options::add);
  ProbeOutcome outcome =
      run({ProbeTask{catalog.find("mock-good"), "{}", std::chrono::seconds(10), {}}}).front();
  EXPECT_EQ(outcome.status, ProbeOutcome::Status::failed);
  EXPECT_THAT(outcome.text, HasSubstr("refused: unsafe: file"));
  EXPECT_THAT(outcome.text, HasSubstr("is world-writable"));
}

TEST_F(ProcessProbeRunnerTest, EveryMisbehavingProbeCostsOnlyItsOwnSection) {
  auto outcomes = run({task("mock-segfaults"), task("mock-aborts"), task("mock-exits"),
                       task("mock-hangs", "{}", std::chrono::milliseconds(500)),
                       task("mock-sleeps", R"({"ms": 5000})", std::chrono::milliseconds(500)),
                       task("mock-allocates"), task("mock-floods-stdout"),
                       task("mock-garbage-stdout"), task("mock-spawns-grandchild"),
                       task("mock-throws"), task("mock-invalid-json"), task("mock-good")});
  telemetry::ReportBuilder builder({}, "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3");
  auto internals = builder.full(outcomes, {})->getObject("product")->getObject("internals");
  EXPECT_TRUE(internals->has("database"));
  EXPECT_TRUE(internals->has("mock-garbage-stdout"));
  EXPECT_TRUE(internals->has("mock-spawns-grandchild"));
  EXPECT_TRUE(internals->has("metrics"));
  for (const char* missing :
       {"mock-segfaults", "mock-aborts", "mock-exits", "mock-hangs", "application-server",
        "mock-allocates", "mock-floods-stdout", "jdk"}) {
    EXPECT_FALSE(internals->has(missing)) << missing;
  }
}

TEST_F(ProcessProbeRunnerTest, LeaksNoDescriptorOrProcessOverAHundredRounds) {
  // TearDown compares the descriptors and children with those before the first round.
  for (int round = 0; round < 100; ++round) {
    auto outcomes =
        run({task("mock-good"), task("mock-throws"), task("mock-segfaults"), task("mock-exits"),
             task("mock-garbage-stdout"), task("mock-spawns-grandchild")});
    ASSERT_EQ(outcomes[0].status, ProbeOutcome::Status::value) << "round " << round;
  }
}

}  // namespace
