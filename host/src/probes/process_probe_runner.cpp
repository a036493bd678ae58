#include "probes/process_probe_runner.hpp"

#include <dlfcn.h>
#include <poll.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <thread>

#include "probes/probe_child.hpp"
#include "probes/sandbox/probe_sandbox.hpp"

namespace telemetry {
namespace {

namespace fs = std::filesystem;
using Clock = ProbeChild::Clock;

ProbeOutcome withoutChild(const ProbeTask& task, ProbeOutcome::Status status, std::string text) {
  ProbeOutcome outcome;
  outcome.plugin = task.plugin->info().name;
  outcome.section = task.plugin->info().section;
  outcome.status = status;
  outcome.text = std::move(text);
  return outcome;
}

int pollTimeoutMs(Clock::time_point wake, Clock::time_point now) {
  if (wake <= now) return 0;
  // Rounded up, so a wake-up never comes early and spins.
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(wake - now).count();
  return static_cast<int>(std::min<long long>(ms, 60'000));
}

}  // namespace

ProcessProbeRunner::ProcessProbeRunner(ProcessProbeRunnerOptions options)
    : options_(std::move(options)) {
  if (options_.helper.empty()) options_.helper = defaultHelper();
  if (options_.parallelism == 0) {
    options_.parallelism = 4 * std::max(1u, std::thread::hardware_concurrency());
  }
  if (options_.confine) logSandboxGapsOnce();
}

fs::path ProcessProbeRunner::defaultHelper() {
  if (const char* env = std::getenv("TELEMETRY_PROBE_HELPER"); env != nullptr && *env != '\0') {
    return env;
  }
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path beside = exe.parent_path() / "telemetry-probe";
    if (fs::exists(beside, ec)) return beside;
  }
  // Embedded (libtelemetry-c.so in python3, say), the executable is the product's: the
  // helper then sits in the bin/ that goes with the library's own lib/.
  Dl_info module{};
  if (::dladdr(reinterpret_cast<const void*>(&ProcessProbeRunner::defaultHelper), &module) != 0 &&
      module.dli_fname != nullptr) {
    const fs::path directory = fs::path(module.dli_fname).parent_path();
    for (const fs::path& candidate : {directory / TELEMETRY_LIBDIR_TO_BINDIR / "telemetry-probe",
                                      directory / "../bin/telemetry-probe"}) {
      if (fs::exists(candidate, ec)) return candidate.lexically_normal();
    }
  }
  return TELEMETRY_INSTALLED_PROBE_HELPER;
}

std::vector<ProbeOutcome> ProcessProbeRunner::run(const std::vector<ProbeTask>& tasks) {
  const Clock::time_point start = Clock::now();
  std::vector<std::optional<ProbeOutcome>> outcomes(tasks.size());
  std::vector<std::unique_ptr<ProbeChild>> children(tasks.size());
  std::vector<pollfd> slots(tasks.size() * ProbeChild::kPollSlots);
  std::size_t next = 0;
  std::size_t running = 0;
  while (true) {
    Clock::time_point now = Clock::now();
    for (; next < tasks.size() && running < options_.parallelism; ++next) {
      const ProbeTask& task = tasks[next];
      if (now >= start + task.timeout) {
        outcomes[next] =
            withoutChild(task, ProbeOutcome::Status::timedOut,
                         "not started before its deadline (" +
                             std::to_string(options_.parallelism) + " probes run at once)");
        continue;
      }
      if (auto refusal = sandboxOf(task, options_).refusal()) {
        outcomes[next] = withoutChild(task, ProbeOutcome::Status::failed, *refusal);
        continue;
      }
      try {
        children[next] = std::make_unique<ProbeChild>(task, start + task.timeout, options_);
        ++running;
      } catch (const std::exception& e) {
        outcomes[next] = withoutChild(task, ProbeOutcome::Status::failed, e.what());
      }
    }
    if (running == 0) break;

    Clock::time_point wake = Clock::time_point::max();
    for (std::size_t i = 0; i < children.size(); ++i) {
      pollfd* own = &slots[i * ProbeChild::kPollSlots];
      if (children[i]) {
        children[i]->preparePoll(own);
        wake = std::min(wake, children[i]->wakeAt());
      } else {
        std::fill(own, own + ProbeChild::kPollSlots, pollfd{-1, 0, 0});
      }
    }
    // EINTR needs no handling: every child is looked at again below either way.
    ::poll(slots.data(), slots.size(), pollTimeoutMs(wake, now));
    now = Clock::now();
    for (std::size_t i = 0; i < children.size(); ++i) {
      if (!children[i]) continue;
      children[i]->afterPoll(&slots[i * ProbeChild::kPollSlots], now);
      if (children[i]->finished()) {
        outcomes[i] = children[i]->outcome();
        if (outcomes[i]->status == ProbeOutcome::Status::failed) {
          outcomes[i]->text = sandboxOf(tasks[i], options_).explainFailure(outcomes[i]->text);
        }
        children[i].reset();
        --running;
      }
    }
  }
  std::vector<ProbeOutcome> result;
  result.reserve(tasks.size());
  for (auto& outcome : outcomes) result.push_back(std::move(*outcome));
  return result;
}

}  // namespace telemetry
