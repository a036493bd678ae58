#include "telemetry/usage_registry.hpp"

#include <algorithm>
#include <bit>
#include <exception>
#include <optional>
#include <string>

#include "config/logging.hpp"
#include "report/utf8_text.hpp"
#include "usage/usage_name_lookup.hpp"
#include "usage/worker_id_set.hpp"

namespace telemetry {
namespace {

// A cap this high already costs tens of megabytes; anything above is a mistake.
constexpr std::size_t kMaxCommandNames = 1'000'000;

std::uint64_t sumColumn(detail::CounterRow* rows, std::size_t shards, std::size_t column,
                        bool take) noexcept {
  std::uint64_t sum = 0;
  for (std::size_t s = 0; s < shards; ++s) {
    auto& count = rows[s].counts[column];
    sum = saturatingAdd(sum, take ? count.exchange(0, std::memory_order_relaxed)
                                  : count.load(std::memory_order_relaxed));
  }
  return sum;
}

}  // namespace

struct UsageRegistry::NameEntry {
  std::string name;
  std::size_t hash;
  detail::CounterRow* rows;  ///< one row per shard
  std::size_t column;
};

UsageRegistry::UsageRegistry(UsageLimits limits)
    : limits_{std::min(limits.commandNames, kMaxCommandNames), limits.workerIds},
      shards_(detail::shardCount()),
      // At most half full (the names plus "other"), so a probe soon meets an empty slot.
      slotMask_(std::bit_ceil(std::max<std::size_t>(16, 2 * (limits_.commandNames + 1))) - 1),
      slots_(std::make_unique<std::atomic<const NameEntry*>[]>(slotMask_ + 1)),
      metricRows_(std::make_unique<detail::CounterRow[]>(shards_)),
      workers_(std::make_unique<WorkerIdSet>(limits_.workerIds)) {
  static_assert(kMetricCount <= detail::kNamesPerRow);
  entries_.reserve(limits_.commandNames + 1);
  rows_.reserve((limits_.commandNames + 1 + detail::kNamesPerRow - 1) / detail::kNamesPerRow);
  other_ = &add(kOtherCommand, usageNameHash(kOtherCommand));
}

UsageRegistry::~UsageRegistry() = default;

void UsageRegistry::setCounting(bool counting) noexcept {
  counting_.store(counting, std::memory_order_relaxed);
}

bool UsageRegistry::counting() const noexcept { return counting_.load(std::memory_order_relaxed); }

void UsageRegistry::command(std::string_view name, std::uint64_t n) noexcept {
  if (n == 0 || !counting()) return;
  const NameEntry& entry = entryFor(name);
  detail::addSaturating(entry.rows[detail::threadShard()].counts[entry.column], n);
}

CommandCounter UsageRegistry::counter(std::string_view name) {
  const NameEntry& entry = entryFor(name);
  return CommandCounter(entry.rows, entry.column, &counting_);
}

void UsageRegistry::metric(Metric metric, std::uint64_t n) noexcept {
  if (n == 0 || !counting()) return;
  detail::addSaturating(metricRows_[detail::threadShard()].counts[static_cast<std::size_t>(metric)],
                        n);
}

bool UsageRegistry::metric(std::string_view name, std::uint64_t n) noexcept {
  const std::optional<Metric> known = metricFromName(name);
  if (!known) {
    rejectedMetrics_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  metric(*known, n);
  return true;
}

std::uint64_t UsageRegistry::rejectedMetrics() const noexcept {
  return rejectedMetrics_.load(std::memory_order_relaxed);
}

bool UsageRegistry::worker(std::string_view workerId) {
  if (workerId.empty() || workerId.size() > kMaxUsageNameLength || !isAcceptedText(workerId))
    return false;
  if (!counting()) return true;
  std::lock_guard lock(mutex_);
  recordWorker(workerId);
  return true;
}

UsageDelta UsageRegistry::drain() {
  std::lock_guard lock(mutex_);
  // Taken as plain numbers first, so that a failure while building the delta can put
  // them back instead of losing them.
  std::vector<std::uint64_t> sums = sumShards(true);
  try {
    UsageDelta delta = deltaOf(sums);
    workers_->clear();
    droppedWorkers_ = 0;
    return delta;
  } catch (...) {
    addBack(sums);
    throw;
  }
}

void UsageRegistry::restore(const UsageDelta& delta) noexcept {
  try {
    for (const auto& [name, n] : delta.counts.commands) command(name, n);
    for (const auto& [name, n] : delta.counts.metrics) metric(name, n);
    std::lock_guard lock(mutex_);
    droppedWorkers_ += delta.droppedWorkers;
    for (const std::string& id : delta.workers) recordWorker(id);
  } catch (const std::exception& e) {
    try {
      logger("telemetry.usage")->error("task-worker sightings lost while restoring: {}", e.what());
    } catch (...) {
      // Restoring is the fallback of a failed checkpoint; it has nowhere left to report to.
    }
  }
}

UsageDelta UsageRegistry::peek() const {
  std::lock_guard lock(mutex_);
  return deltaOf(sumShards(false));
}

const UsageRegistry::NameEntry* UsageRegistry::find(std::string_view name,
                                                    std::size_t hash) const noexcept {
  for (std::size_t i = hash & slotMask_;; i = (i + 1) & slotMask_) {
    const NameEntry* entry = slots_[i].load(std::memory_order_acquire);
    if (entry == nullptr) return nullptr;
    if (entry->hash == hash && usageNamesEqual(entry->name, name)) return entry;
  }
}

const UsageRegistry::NameEntry& UsageRegistry::entryFor(std::string_view name) noexcept {
  const std::size_t hash = usageNameHash(name);
  if (const NameEntry* found = find(name, hash)) [[likely]]
    return *found;
  // Once full, unknown names skip the lock: a caller inventing names stays lock-free too.
  if (full_.load(std::memory_order_relaxed))
    return countedAsOther(name, "the limit of distinct command names was reached");
  return insert(name, hash);
}

const UsageRegistry::NameEntry& UsageRegistry::insert(std::string_view name,
                                                      std::size_t hash) noexcept {
  if (name.empty() || name.size() > kMaxUsageNameLength)
    return countedAsOther(name, "command names must be 1 to 255 bytes long");
  if (!isAcceptedText(name)) return countedAsOther(name, "command names must be UTF-8 without NUL");
  try {
    std::lock_guard lock(mutex_);
    if (const NameEntry* raced = find(name, hash)) return *raced;
    if (!full_.load(std::memory_order_relaxed)) return add(name, hash);
  } catch (const std::exception&) {
    return countedAsOther(name, "memory ran out");
  }
  return countedAsOther(name, "the limit of distinct command names was reached");
}

const UsageRegistry::NameEntry& UsageRegistry::add(std::string_view name, std::size_t hash) {
  const std::size_t index = entries_.size();
  const std::size_t column = index % detail::kNamesPerRow;
  // Both allocations come before anything changes; the reserved vectors cannot throw.
  std::unique_ptr<detail::CounterRow[]> rows;
  if (column == 0) rows = std::make_unique<detail::CounterRow[]>(shards_);
  detail::CounterRow* rowsOfName = rows ? rows.get() : rows_.back().get();
  auto entry = std::make_unique<NameEntry>(NameEntry{std::string(name), hash, rowsOfName, column});
  if (rows) rows_.push_back(std::move(rows));
  entries_.push_back(std::move(entry));

  std::size_t slot = hash & slotMask_;
  while (slots_[slot].load(std::memory_order_relaxed) != nullptr) slot = (slot + 1) & slotMask_;
  slots_[slot].store(entries_.back().get(), std::memory_order_release);
  // "other" is not one of the limited names.
  if (entries_.size() == limits_.commandNames + 1) full_.store(true, std::memory_order_relaxed);
  return *entries_.back();
}

const UsageRegistry::NameEntry& UsageRegistry::countedAsOther(std::string_view name,
                                                              std::string_view reason) noexcept {
  if (!warnedOther_.load(std::memory_order_relaxed) &&
      !warnedOther_.exchange(true, std::memory_order_relaxed)) {
    try {
      // Escaped ({:?}), since a name may come from a REST client; cut, since it may be huge.
      constexpr std::size_t kShown = 64;
      logger("telemetry.usage")
          ->warn("command {:?}{} and any like it are counted as '{}': {}", name.substr(0, kShown),
                 name.size() > kShown ? "..." : "", kOtherCommand, reason);
    } catch (...) {
      // Counting must go on even when logging cannot.
    }
  }
  return *other_;
}

void UsageRegistry::recordWorker(std::string_view workerId) {
  if (workers_->add(workerId)) return;
  ++droppedWorkers_;
  if (!warnedWorkers_) {
    warnedWorkers_ = true;
    logger("telemetry.usage")
        ->warn(
            "more than {} distinct task workers between two checkpoints: further ones are "
            "counted but not told apart",
            limits_.workerIds);
  }
}

std::vector<std::uint64_t> UsageRegistry::sumShards(bool take) const {
  std::vector<std::uint64_t> sums(entries_.size() + kMetricCount);
  for (std::size_t i = 0; i < entries_.size(); ++i)
    sums[i] = sumColumn(entries_[i]->rows, shards_, entries_[i]->column, take);
  for (std::size_t m = 0; m < kMetricCount; ++m)
    sums[entries_.size() + m] = sumColumn(metricRows_.get(), shards_, m, take);
  return sums;
}

void UsageRegistry::addBack(const std::vector<std::uint64_t>& sums) noexcept {
  const std::size_t shard = detail::threadShard();
  for (std::size_t i = 0; i < entries_.size(); ++i)
    detail::addSaturating(entries_[i]->rows[shard].counts[entries_[i]->column], sums[i]);
  for (std::size_t m = 0; m < kMetricCount; ++m)
    detail::addSaturating(metricRows_[shard].counts[m], sums[entries_.size() + m]);
}

UsageDelta UsageRegistry::deltaOf(const std::vector<std::uint64_t>& sums) const {
  UsageDelta delta;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    if (sums[i] != 0) delta.counts.commands.emplace(entries_[i]->name, sums[i]);
  }
  for (std::size_t m = 0; m < kMetricCount; ++m) {
    if (sums[entries_.size() + m] != 0)
      delta.counts.metrics.emplace(kMetricNames[m], sums[entries_.size() + m]);
  }
  delta.workers = workers_->ids();
  delta.droppedWorkers = droppedWorkers_;
  return delta;
}

}  // namespace telemetry
