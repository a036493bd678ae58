// Usage counting against what it must beat: a raw relaxed atomic add on one counter (the
// floor) and a mutex-guarded unordered_map (what a naive port does), from 1 to 8 threads;
// and the memory that 1,000 command names and 1,000,000 task workers take.
// scripts/bench usage turns the results into the ratios of docs/performance.md.
#include <malloc.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <benchmark/benchmark.h>

#include "telemetry/usage_registry.hpp"

namespace {

using telemetry::UsageRegistry;

constexpr std::string_view kCommand = "StartProcessInstanceCmd";
constexpr std::size_t kCommandNames = 1000;
constexpr std::size_t kWorkers = 1'000'000;

UsageRegistry& sharedRegistry() {
  static UsageRegistry registry;
  return registry;
}

void rawAtomic(benchmark::State& state) {
  static std::atomic<std::uint64_t> counter{0};
  for (auto _ : state) counter.fetch_add(1, std::memory_order_relaxed);
  state.SetItemsProcessed(state.iterations());
}

void mutexMap(benchmark::State& state) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::uint64_t> counts;
  // Made once, so the map pays for hashing and locking but not for building a key.
  const std::string name(kCommand);
  for (auto _ : state) {
    std::lock_guard lock(mutex);
    ++counts[name];
  }
  state.SetItemsProcessed(state.iterations());
}

void commandByName(benchmark::State& state) {
  UsageRegistry& registry = sharedRegistry();
  for (auto _ : state) registry.command(kCommand);
  state.SetItemsProcessed(state.iterations());
}

void counterIncrement(benchmark::State& state) {
  const telemetry::CommandCounter counter = sharedRegistry().counter(kCommand);
  for (auto _ : state) counter.increment();
  state.SetItemsProcessed(state.iterations());
}

void metricByEnum(benchmark::State& state) {
  UsageRegistry& registry = sharedRegistry();
  for (auto _ : state) registry.metric(telemetry::Metric::activityInstanceStart);
  state.SetItemsProcessed(state.iterations());
}

// A worker polling again: the locked path, with an id already seen.
void workerSighting(benchmark::State& state) {
  UsageRegistry& registry = sharedRegistry();
  const std::string id = "worker-" + std::to_string(state.thread_index());
  for (auto _ : state) registry.worker(id);
  state.SetItemsProcessed(state.iterations());
}

// Heap bytes in use, malloc's own overhead included. The memory benchmarks run on the
// main thread, whose allocations mallinfo2 sees (plus every mmap-ed block).
std::size_t heapInUse() {
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

std::vector<std::string> commandNames() {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < kCommandNames; ++i)
    names.push_back("Command" + std::to_string(i) + "Cmd");
  return names;
}

// Distinct UUID-shaped ids, as task workers usually call themselves.
std::vector<std::string> workerIds() {
  std::vector<std::string> ids;
  ids.reserve(kWorkers);
  std::uint64_t state = 0x9e3779b97f4a7c15u;
  for (std::size_t i = 0; i < kWorkers; ++i) {
    const std::uint64_t a = state += 0x9e3779b97f4a7c15u;
    const std::uint64_t b = a * 0xbf58476d1ce4e5b9u ^ (a >> 31);
    char id[37];
    std::snprintf(id, sizeof id, "%08x-%04x-4%03x-8%03x-%012llx", static_cast<unsigned>(a >> 32),
                  static_cast<unsigned>(a >> 16) & 0xffff, static_cast<unsigned>(a) & 0xfff,
                  static_cast<unsigned>(b >> 52),
                  static_cast<unsigned long long>(b) & 0xffffffffffffu);
    ids.emplace_back(id);
  }
  return ids;
}

void reportBytes(benchmark::State& state, std::size_t bytes, std::size_t items) {
  state.counters["bytes"] = static_cast<double>(bytes);
  state.counters["bytes_per_item"] = static_cast<double>(bytes) / static_cast<double>(items);
}

void commandNamesInRegistry(benchmark::State& state) {
  const std::vector<std::string> names = commandNames();
  for (auto _ : state) {
    const std::size_t before = heapInUse();
    auto registry = std::make_unique<UsageRegistry>();
    for (const std::string& name : names) registry->command(name);
    reportBytes(state, heapInUse() - before, names.size());
  }
}

void commandNamesInMutexMap(benchmark::State& state) {
  const std::vector<std::string> names = commandNames();
  for (auto _ : state) {
    const std::size_t before = heapInUse();
    auto counts = std::make_unique<std::unordered_map<std::string, std::uint64_t>>();
    for (const std::string& name : names) ++(*counts)[name];
    reportBytes(state, heapInUse() - before, names.size());
  }
}

void workersInRegistry(benchmark::State& state) {
  const std::vector<std::string> ids = workerIds();
  for (auto _ : state) {
    const std::size_t before = heapInUse();
    auto registry = std::make_unique<UsageRegistry>(telemetry::UsageLimits{.workerIds = kWorkers});
    for (const std::string& id : ids) registry->worker(id);
    const std::size_t held = heapInUse() - before;
    const telemetry::UsageDelta delta = registry->drain();
    // The drained delta holds the same ids as std::strings, until the store has them.
    state.counters["delta_bytes"] = static_cast<double>(heapInUse() - before);
    reportBytes(state, held, ids.size());
    if (delta.workers.size() != ids.size()) state.SkipWithError("ids were dropped");
  }
}

void workersInUnorderedSet(benchmark::State& state) {
  const std::vector<std::string> ids = workerIds();
  for (auto _ : state) {
    const std::size_t before = heapInUse();
    auto seen = std::make_unique<std::unordered_set<std::string>>();
    for (const std::string& id : ids) seen->insert(id);
    reportBytes(state, heapInUse() - before, ids.size());
  }
}

void timedOnThreads(const char* name, void (*function)(benchmark::State&)) {
  benchmark::RegisterBenchmark(name, function)->ThreadRange(1, 8)->UseRealTime();
}

void measuredOnce(const char* name, void (*function)(benchmark::State&)) {
  benchmark::RegisterBenchmark(name, function)
      ->Iterations(1)
      ->Repetitions(1)
      ->Unit(benchmark::kMillisecond);
}

const bool registered = [] {
  timedOnThreads("usage/raw_atomic", rawAtomic);
  timedOnThreads("usage/mutex_map", mutexMap);
  timedOnThreads("usage/command", commandByName);
  timedOnThreads("usage/counter_increment", counterIncrement);
  timedOnThreads("usage/metric", metricByEnum);
  benchmark::RegisterBenchmark("usage/worker_seen_again", workerSighting)
      ->Threads(1)
      ->Threads(4)
      ->UseRealTime();
  measuredOnce("usage/memory/command_names/registry", commandNamesInRegistry);
  measuredOnce("usage/memory/command_names/mutex_map", commandNamesInMutexMap);
  measuredOnce("usage/memory/workers/registry", workersInRegistry);
  measuredOnce("usage/memory/workers/unordered_set", workersInUnorderedSet);
  return true;
}();

}  // namespace
