// The in-process usage counts of the spec: command counts by name, the five metrics and
// task-worker sightings, counted on the product's hot path without locks and handed to the
// reporter as deltas.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "telemetry/command_counter.hpp"
#include "telemetry/usage_delta.hpp"
#include "telemetry/usage_limits.hpp"
#include "telemetry/usage_metric.hpp"
#include "telemetry/usage_shard.hpp"

namespace telemetry {

class WorkerIdSet;

/// Counts usage between drains. Counting a command name already seen, a metric or a
/// CommandCounter takes no lock and allocates nothing; any thread may count while another
/// drains, and every increment lands in exactly one delta.
class UsageRegistry {
 public:
  /// The command that counts every name beyond UsageLimits::commandNames, and names that
  /// are empty, longer than kMaxUsageNameLength, not UTF-8 or holding NUL.
  static constexpr std::string_view kOtherCommand = "other";

  explicit UsageRegistry(UsageLimits limits = {});
  ~UsageRegistry();
  UsageRegistry(const UsageRegistry&) = delete;
  UsageRegistry& operator=(const UsageRegistry&) = delete;

  /// Whether counts are taken or dropped on arrival: off while telemetry is disabled, so
  /// that nothing counted then is ever reported (Host keeps it in step with the opt-in).
  void setCounting(bool counting) noexcept;
  bool counting() const noexcept;

  /// Adds n to a command's count. Locks only the first time a name is seen. Every count
  /// stops at kMaxUsageCount.
  void command(std::string_view name, std::uint64_t n = 1) noexcept;
  /// A handle that counts `name` without looking it up again; valid for the registry's life.
  CommandCounter counter(std::string_view name);

  /// Adds n to one of the five metrics.
  void metric(Metric metric, std::uint64_t n = 1) noexcept;
  /// Adds n to the metric of that report name; false (and counted in rejectedMetrics) for
  /// any name but the five.
  bool metric(std::string_view name, std::uint64_t n = 1) noexcept;
  /// Metric names rejected since the registry was made (never drained).
  std::uint64_t rejectedMetrics() const noexcept;

  /// Records a task-worker sighting. Locks. False, recording nothing, for an id that is
  /// empty, longer than kMaxUsageNameLength, not UTF-8 or holding NUL.
  bool worker(std::string_view workerId);

  /// Everything counted since the last drain, removed from the registry. An increment that
  /// races with it lands in this delta or the next one.
  UsageDelta drain();
  /// Adds a drained delta back, e.g. when storing it failed.
  void restore(const UsageDelta& delta) noexcept;
  /// What drain would return, without removing it.
  UsageDelta peek() const;

 private:
  struct NameEntry;

  const NameEntry* find(std::string_view name, std::size_t hash) const noexcept;
  const NameEntry& entryFor(std::string_view name) noexcept;
  const NameEntry& insert(std::string_view name, std::size_t hash) noexcept;
  const NameEntry& add(std::string_view name, std::size_t hash);
  const NameEntry& countedAsOther(std::string_view name, std::string_view reason) noexcept;
  void recordWorker(std::string_view workerId);
  std::vector<std::uint64_t> sumShards(bool take) const;
  void addBack(const std::vector<std::uint64_t>& sums) noexcept;
  UsageDelta deltaOf(const std::vector<std::uint64_t>& sums) const;

  const UsageLimits limits_;
  const std::size_t shards_;
  const std::size_t slotMask_;
  /// Open-addressing name table, read without a lock; written only under mutex_.
  std::unique_ptr<std::atomic<const NameEntry*>[]> slots_;
  std::unique_ptr<detail::CounterRow[]> metricRows_;
  const NameEntry* other_ = nullptr;
  std::atomic<bool> full_{false};
  std::atomic<bool> counting_{true};
  std::atomic<bool> warnedOther_{false};

  /// Guards what follows; held by drains, workers and the first sighting of a name. On a
  /// cache line apart, so locking it does not evict what the counting path reads above.
  alignas(64) mutable std::mutex mutex_;
  std::vector<std::unique_ptr<NameEntry>> entries_;
  std::vector<std::unique_ptr<detail::CounterRow[]>> rows_;  ///< shard rows per 64 names
  std::unique_ptr<WorkerIdSet> workers_;
  std::uint64_t droppedWorkers_ = 0;
  bool warnedWorkers_ = false;
  std::atomic<std::uint64_t> rejectedMetrics_{0};  ///< written without the mutex
};

}  // namespace telemetry
