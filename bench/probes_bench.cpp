// Collecting in process mode: eight probes that each take 200 ms against one (they should
// run side by side), and a probe that does nothing in a child process against the same
// probe on a thread of the host (the price of isolation per probe), and the same child
// without its sandbox (the price of confinement); `telemetry plugins` with ten plugins whose
// descriptors children read, with the descriptor cache empty and full.
// scripts/bench probes turns the results into the ratios of docs/performance.md.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "config/logging.hpp"
#include "plugins/plugin_catalog.hpp"
#include "probes/in_process_probe_runner.hpp"
#include "probes/process_probe_runner.hpp"

extern char** environ;

namespace {

using telemetry::ProbeTask;

const telemetry::PluginCatalog& catalog() {
  static const telemetry::PluginCatalog instance(
      {TELEMETRY_MOCK_PLUGIN_DIR},
      {telemetry::EnabledPlugin{"mock-sleeps"}, telemetry::EnabledPlugin{"mock-not-applicable"}});
  return instance;
}

std::vector<ProbeTask> tasks(const std::string& plugin, const std::string& settings,
                             std::size_t count) {
  auto loaded = catalog().find(plugin);
  if (!loaded) throw std::runtime_error(plugin + " not found in " TELEMETRY_MOCK_PLUGIN_DIR);
  return std::vector<ProbeTask>(count, ProbeTask{loaded, settings, std::chrono::seconds(10), {}});
}

void run(benchmark::State& state, telemetry::ProbeRunner& runner,
         const std::vector<ProbeTask>& probes) {
  for (auto _ : state) {
    auto outcomes = runner.run(probes);
    if (outcomes.front().status == telemetry::ProbeOutcome::Status::failed) {
      state.SkipWithError(outcomes.front().text.c_str());
      return;
    }
    benchmark::DoNotOptimize(outcomes);
  }
}

/// range(0) probes of 200 ms each, each in its own child.
void processSleep200ms(benchmark::State& state) {
  telemetry::ProcessProbeRunner runner;
  run(state, runner,
      tasks("mock-sleeps", R"({"ms": 200})", static_cast<std::size_t>(state.range(0))));
}

double childrenCpuMs() {
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  auto ms = [](const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; };
  return ms(usage.ru_utime) + ms(usage.ru_stime);
}

/// Also counts the CPU time of the children, which the wall clock hides on a busy machine.
void processNoop(benchmark::State& state) {
  telemetry::ProcessProbeRunner runner;
  double before = childrenCpuMs();
  run(state, runner, tasks("mock-not-applicable", "{}", 1));
  state.counters["child_cpu_ms"] =
      benchmark::Counter(childrenCpuMs() - before, benchmark::Counter::kAvgIterations);
}

/// The same child without its sandbox: the difference is what confinement costs.
void processNoopUnconfined(benchmark::State& state) {
  telemetry::ProcessProbeRunnerOptions options;
  options.confine = false;
  telemetry::ProcessProbeRunner runner(options);
  double before = childrenCpuMs();
  run(state, runner, tasks("mock-not-applicable", "{}", 1));
  state.counters["child_cpu_ms"] =
      benchmark::Counter(childrenCpuMs() - before, benchmark::Counter::kAvgIterations);
}

void inProcessNoop(benchmark::State& state) {
  telemetry::InProcessProbeRunner runner;
  run(state, runner, tasks("mock-not-applicable", "{}", 1));
}

namespace fs = std::filesystem;

/// A state store and a directory of ten plugins for `telemetry plugins` in process mode.
class PluginsCommand {
 public:
  PluginsCommand() {
    std::string pattern = (fs::temp_directory_path() / "bench-catalog-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp");
    dir_ = pattern;
    fs::create_directory(dir_ / "plugins");
    for (const char* mock : {"good", "throws", "invalid_json", "not_applicable", "vendor_section",
                             "array_section", "sleeps", "segfaults", "aborts", "exits"}) {
      std::string file = std::string("mock_") + mock + ".so";
      fs::copy_file(fs::path(TELEMETRY_MOCK_PLUGIN_DIR) / file, dir_ / "plugins" / file);
    }
    std::ofstream(dir_ / "telemetry.yaml")
        << "state: { path: " << (dir_ / "state.db").string() << " }\n"
        << "plugins: { paths: [" << (dir_ / "plugins").string() << "], isolation: process }\n";
    if (run("disable") != 0) throw std::runtime_error("telemetry disable failed");
  }
  ~PluginsCommand() {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void forgetDescriptors() const { fs::remove(dir_ / "state.db.plugins.json"); }

  /// `telemetry COMMAND` with its output thrown away; its exit status.
  int run(const char* command) const {
    std::string config = (dir_ / "telemetry.yaml").string();
    const char* argv[] = {TELEMETRY_CLI, "--config", config.c_str(), command, nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    int error = ::posix_spawn(&pid, TELEMETRY_CLI, &actions, nullptr,
                              const_cast<char* const*>(argv), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (error != 0) return -1;
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  fs::path dir_;
};

/// `telemetry plugins` with an empty descriptor cache: ten telemetry-probe children.
void catalogCold(benchmark::State& state) {
  PluginsCommand plugins;
  for (auto _ : state) {
    state.PauseTiming();
    plugins.forgetDescriptors();
    state.ResumeTiming();
    if (plugins.run("plugins") != 0) state.SkipWithError("telemetry plugins failed");
  }
}

/// `telemetry plugins` with every descriptor in the cache: no child.
void catalogWarm(benchmark::State& state) {
  PluginsCommand plugins;
  plugins.run("plugins");
  for (auto _ : state) {
    if (plugins.run("plugins") != 0) state.SkipWithError("telemetry plugins failed");
  }
}

// Without a helper path the runner finds telemetry-probe beside this program in bin/.
BENCHMARK(processSleep200ms)
    ->Name("probes/process/sleep_200ms")
    ->Arg(1)
    ->Arg(8)
    ->Iterations(5)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(processNoop)->Name("probes/process/noop")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(processNoopUnconfined)
    ->Name("probes/process/noop_unconfined")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(inProcessNoop)
    ->Name("probes/in_process/noop")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK(catalogCold)->Name("probes/catalog/cold")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(catalogWarm)->Name("probes/catalog/warm")->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
