#include "probes/in_process_probe_runner.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "plugins/plugin_log.hpp"

namespace telemetry {
namespace {

using Clock = plugin::Context::Clock;

/// Shared between the waiting host and the probe's thread, which may outlive the wait.
struct Slot {
  std::mutex mutex;
  std::condition_variable done;
  std::optional<plugin::Result> result;
};

void collectInto(const ProbeTask& task, Clock::time_point deadline,
                 const std::shared_ptr<Slot>& slot) {
  const auto& plugin = *task.plugin;
  std::string error;
  std::optional<plugin::Result> result;
  if (auto probe = plugin.createProbe(error)) {
    plugin::Context context(task.settingsJson, deadline,
                            PluginLog::sink(std::make_shared<PluginLog>(plugin.info().name)),
                            task.facts);
    result = plugin.descriptor().collect(probe.get(), context);
  } else {
    result = plugin::Result::error("cannot create probe: " + error);
  }
  std::lock_guard lock(slot->mutex);
  slot->result = std::move(result);
  slot->done.notify_all();
}

}  // namespace

std::string toString(ProbeOutcome::Status status) {
  switch (status) {
    case ProbeOutcome::Status::value:
      return "ok";
    case ProbeOutcome::Status::notApplicable:
      return "not applicable";
    case ProbeOutcome::Status::timedOut:
      return "timed out";
    case ProbeOutcome::Status::failed:
      break;
  }
  return "failed";
}

ProbeOutcome::Status toStatus(plugin::Result::Kind kind) {
  switch (kind) {
    case plugin::Result::Kind::value:
      return ProbeOutcome::Status::value;
    case plugin::Result::Kind::not_applicable:
      return ProbeOutcome::Status::notApplicable;
    case plugin::Result::Kind::error:
      break;
  }
  return ProbeOutcome::Status::failed;
}

std::vector<ProbeOutcome> InProcessProbeRunner::run(const std::vector<ProbeTask>& tasks) {
  const Clock::time_point start = Clock::now();
  std::vector<std::shared_ptr<Slot>> slots;
  for (const ProbeTask& task : tasks) {
    auto slot = std::make_shared<Slot>();
    slots.push_back(slot);
    // The thread owns copies of everything it touches, so abandoning it is safe.
    std::thread(collectInto, task, start + task.timeout, slot).detach();
  }
  std::vector<ProbeOutcome> outcomes;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const ProbeTask& task = tasks[i];
    ProbeOutcome outcome;
    outcome.plugin = task.plugin->info().name;
    outcome.section = task.plugin->info().section;
    std::unique_lock lock(slots[i]->mutex);
    if (!slots[i]->done.wait_until(lock, start + task.timeout,
                                   [&] { return slots[i]->result.has_value(); })) {
      outcome.status = ProbeOutcome::Status::timedOut;
      outcome.text = "no answer within " + std::to_string(task.timeout.count()) + " ms";
    } else {
      const plugin::Result& r = *slots[i]->result;
      outcome.text = r.text();
      outcome.status = toStatus(r.kind());
    }
    outcome.elapsed = std::chrono::duration_cast<Duration>(Clock::now() - start);
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace telemetry
