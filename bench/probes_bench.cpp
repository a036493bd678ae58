// Collecting in process mode: eight probes that each take 200 ms against one (they should
// run side by side), and a probe that does nothing in a child process against the same
// probe on a thread of the host (the price of isolation per probe).
// scripts/bench probes turns the results into the ratios of docs/performance.md.
#include <sys/resource.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "config/logging.hpp"
#include "plugins/plugin_catalog.hpp"
#include "probes/in_process_probe_runner.hpp"
#include "probes/process_probe_runner.hpp"

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

void inProcessNoop(benchmark::State& state) {
  telemetry::InProcessProbeRunner runner;
  run(state, runner, tasks("mock-not-applicable", "{}", 1));
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
BENCHMARK(inProcessNoop)
    ->Name("probes/in_process/noop")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
