// How long the host takes to give up, stop or refuse, against a baseline of the same
// length measured in the same run; the unit tests only assert that it does (they run on
// shared, noisy machines). scripts/bench timing turns the results into the ratios of
// docs/performance.md.
//  - a login with an unknown name against one with a known name and a wrong password
//    (equal cost, so timing does not tell which users exist);
//  - StatsdListener::stop() against its poll interval;
//  - a probe that ignores its 300 ms deadline and SIGTERM against one that answers at 300 ms.
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <benchmark/benchmark.h>

#include "api/auth/password_hash.hpp"
#include "api/auth/user_directory.hpp"
#include "plugins/plugin_catalog.hpp"
#include "probes/process_probe_runner.hpp"
#include "telemetry/usage_registry.hpp"
#include "usage/statsd_listener.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A sixth of the default, so each login takes tens of milliseconds, not a third of a second.
constexpr unsigned kIterations = 100000;
constexpr auto kPollInterval = 100ms;
constexpr auto kProbeDeadline = 300ms;

/// A users file with alice in a directory of its own, removed at exit.
struct UsersFile {
  fs::path dir =
      fs::temp_directory_path() / ("telemetry-bench-timing-" + std::to_string(::getpid()));
  UsersFile() {
    fs::create_directories(dir);
    fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
    std::ofstream(path()) << "users:\n  - name: alice\n    password: "
                          << telemetry::api::hashPassword("pw", kIterations) << "\n";
    fs::permissions(path(), fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace);
  }
  ~UsersFile() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  fs::path path() const { return dir / "users.yaml"; }
};

telemetry::api::UserDirectory& users() {
  static const UsersFile file;
  static telemetry::api::UserDirectory directory(file.path());
  return directory;
}

void login(benchmark::State& state, std::string_view name) {
  auto& directory = users();
  for (auto _ : state) {
    if (directory.authenticate(name, "wrong")) state.SkipWithError("a wrong password passed");
  }
}

void loginKnownNameWrongPassword(benchmark::State& state) { login(state, "alice"); }
void loginUnknownName(benchmark::State& state) { login(state, "mallory"); }

/// The time stop() takes on a listener that receives nothing.
void statsdStop(benchmark::State& state) {
  telemetry::UsageRegistry registry;
  for (auto _ : state) {
    telemetry::StatsdListener listener("127.0.0.1:0", registry, {.pollInterval = kPollInterval});
    std::this_thread::sleep_for(kPollInterval / 2);  // so stop() finds it inside a receive
    const auto start = std::chrono::steady_clock::now();
    listener.stop();
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

/// The baseline: one poll interval of sleep.
void statsdPollInterval(benchmark::State& state) {
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(kPollInterval);
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

const telemetry::PluginCatalog& catalog() {
  static const telemetry::PluginCatalog instance(
      {TELEMETRY_MOCK_PLUGIN_DIR},
      {telemetry::EnabledPlugin{"mock-hangs"}, telemetry::EnabledPlugin{"mock-sleeps"}});
  return instance;
}

void probe(benchmark::State& state, const std::string& plugin, const std::string& settings,
           std::chrono::milliseconds timeout, telemetry::ProbeOutcome::Status expected) {
  auto loaded = catalog().find(plugin);
  if (!loaded) throw std::runtime_error(plugin + " not found in " TELEMETRY_MOCK_PLUGIN_DIR);
  telemetry::ProcessProbeRunner runner;
  for (auto _ : state) {
    auto outcome = runner.run({telemetry::ProbeTask{loaded, settings, timeout, {}}}).front();
    if (outcome.status != expected) state.SkipWithError(outcome.text.c_str());
  }
}

/// Ignores the deadline and SIGTERM: given up at the deadline, killed after the grace.
void probeHangs(benchmark::State& state) {
  probe(state, "mock-hangs", "{}", kProbeDeadline, telemetry::ProbeOutcome::Status::timedOut);
}

/// The baseline: a probe that answers at the same moment, well inside a long deadline.
void probeAnswersAtTheDeadline(benchmark::State& state) {
  probe(state, "mock-sleeps", R"({"ms": )" + std::to_string(kProbeDeadline.count()) + "}", 10s,
        telemetry::ProbeOutcome::Status::value);
}

BENCHMARK(loginKnownNameWrongPassword)
    ->Name("timing/login/known_name_wrong_password")
    ->Unit(benchmark::kMillisecond);
BENCHMARK(loginUnknownName)->Name("timing/login/unknown_name")->Unit(benchmark::kMillisecond);
BENCHMARK(statsdStop)->Name("timing/statsd/stop")->UseManualTime()->Unit(benchmark::kMillisecond);
BENCHMARK(statsdPollInterval)
    ->Name("timing/statsd/poll_interval")
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(probeHangs)->Name("timing/probe/hangs")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(probeAnswersAtTheDeadline)
    ->Name("timing/probe/answers_at_the_deadline")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
