#include <linux/close_range.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/api_server.hpp"
#include "command_registry.hpp"
#include "config/logging.hpp"
#include "config/time_text.hpp"
#include "embedding/hibernation.hpp"
#include "exit_code.hpp"
#include "telemetry/host.hpp"

extern char** environ;

namespace telemetry::cli {
namespace {

namespace fs = std::filesystem;

/// What a previous image of this process left for it in the environment (then removed,
/// so that probe children do not see it).
struct Resumed {
  std::optional<ReporterSchedule> schedule;
  int signal = 0;
};

Resumed takeResumed() {
  Resumed resumed;
  if (const char* text = std::getenv(hibernation::kScheduleVariable)) {
    resumed.schedule = hibernation::decodeSchedule(text);
    if (!resumed.schedule) {
      logger()->warn("ignoring {}='{}': not a schedule this version wrote; starting afresh",
                     hibernation::kScheduleVariable, text);
    }
  }
  if (const char* text = std::getenv(hibernation::kSignalVariable)) {
    const int number = std::atoi(text);
    if (number == SIGTERM || number == SIGINT) resumed.signal = number;
  }
  ::unsetenv(hibernation::kScheduleVariable);
  ::unsetenv(hibernation::kSignalVariable);
  return resumed;
}

/// Replaces this process with telemetry-idle, which runs `self` with `args` again at the
/// schedule's next due time. Returns only when that fails, with the reason.
std::string hibernate(const ReporterSchedule& schedule, const fs::path& idle, const fs::path& self,
                      const std::vector<std::string>& args) {
  const auto next = schedule.nextDue();
  const auto untilMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(next.time_since_epoch()).count();
  logger()->info("nothing to do until {}: hibernating in {} (pid {} stays)", timeText(next),
                 idle.string(), ::getpid());
  logger()->flush();

  std::vector<std::string> argvText{idle.string(), std::to_string(untilMs), "--", self.string()};
  argvText.insert(argvText.end(), args.begin(), args.end());
  // takeResumed() removed the previous image's variables from the environment at start.
  std::vector<std::string> envText;
  for (char** variable = environ; *variable != nullptr; ++variable) envText.emplace_back(*variable);
  envText.push_back(std::string(hibernation::kScheduleVariable) + '=' +
                    hibernation::encodeSchedule(schedule));
  std::vector<char*> argvPointers, envPointers;
  for (auto& text : argvText) argvPointers.push_back(text.data());
  for (auto& text : envText) envPointers.push_back(text.data());
  argvPointers.push_back(nullptr);
  envPointers.push_back(nullptr);

  // The store's and sockets' descriptors must not pile up across images; with
  // CLOSE_RANGE_CLOEXEC they stay usable if the exec fails.
  ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
  ::execve(argvPointers[0], argvPointers.data(), envPointers.data());
  return std::strerror(errno);
}

/// SIGTERM or SIGINT if one is pending, without waiting: the kernel hands out SIGUSR1
/// (10) before SIGTERM (15), and a stop must win over hibernating.
int pendingStop() {
  sigset_t stops;
  sigemptyset(&stops);
  sigaddset(&stops, SIGTERM);
  sigaddset(&stops, SIGINT);
  const timespec now{0, 0};
  const int signal = sigtimedwait(&stops, nullptr, &now);
  return signal > 0 ? signal : 0;
}

}  // namespace

int runDaemon(const Config& config, const std::vector<std::string>& args) {
  // Blocked before any thread starts, so every thread inherits the mask and the signal
  // waits for sigwait below instead of killing the process mid-send. SIGUSR1 is the
  // reporter saying it is idle.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const Resumed resumed = takeResumed();
  // Hibernating drops everything in memory: only without the REST API and StatsD, which
  // must keep listening, and with telemetry-idle installed beside this program.
  const fs::path self = fs::read_symlink("/proc/self/exe");
  const fs::path idle = self.parent_path() / hibernation::kIdleProgram;
  bool mayHibernate = config.telemetry.hibernate.count() > 0 && config.api.listen.empty() &&
                      config.usage.statsdListen.empty() && ::access(idle.c_str(), X_OK) == 0;
  HostOptions options;
  options.reporter.resume = resumed.schedule;
  if (mayHibernate) {
    options.reporter.idleThreshold = config.telemetry.hibernate;
    options.reporter.onIdle = [] { ::kill(::getpid(), SIGUSR1); };
  }

  Host host(config, options);
  // Bound before anything starts: a taken port or a bad users file stops the daemon with
  // exit code 2 instead of running without the API the operator asked for.
  std::unique_ptr<ApiServer> api;
  if (!config.api.listen.empty()) api = std::make_unique<ApiServer>(host, config.api);
  host.start();
  if (api) api->start();
  if (resumed.schedule) {
    logger()->info("telemetry daemon resumed (pid {})", ::getpid());
  } else {
    logger()->info("telemetry daemon running (pid {}); SIGTERM or SIGINT stops it", ::getpid());
  }
  // A stop that arrived while hibernating wins at once: no more hibernating.
  int signal = resumed.signal;
  while (signal == 0) {
    int received = 0;
    sigwait(&signals, &received);
    if (received != SIGUSR1) {
      signal = received;
      break;
    }
    if (!mayHibernate) continue;
    if ((signal = pendingStop()) != 0) break;
    const auto schedule = host.suspend(config.telemetry.hibernate);
    if (!schedule) continue;  // something became due meanwhile
    const std::string why = hibernate(*schedule, idle, self, args);
    logger()->error("cannot hibernate ({}: {}); staying resident", idle.string(), why);
    mayHibernate = false;
    host.start();
  }
  logger()->info("{} received: stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  if (api) api->stop();  // first: no request may use the host while it stops
  host.stop();
  return success;
}

namespace {

void setupRun(CLI::App& app, CommandRun& chosen) {
  auto* run = app.add_subcommand(
      "run", "the daemon: initial report once, a full report per period while enabled");
  run->footer(
      "SIGTERM or SIGINT sends the final report (if enabled) and exits 0. With "
      "reporter-activate: false or DO_NOT_TRACK=1 nothing is ever sent.\n"
      "Examples:\n"
      "  telemetry run\n"
      "  systemctl enable --now telemetry      the packaged service (user telemetry)");
  runWhenChosen(*run, chosen,
                [](const Invocation& call) { return runDaemon(call.config, call.args); });
}

[[maybe_unused]] const bool kRunRegistered = registerCommand({40, setupRun});

}  // namespace

}  // namespace telemetry::cli
