// One telemetry-probe child as the ProcessProbeRunner sees it: started in a session of its
// own with its limits, read without ever blocking, stopped at its deadline, reaped, and
// turned into a ProbeOutcome that says why, when there is no answer.
#pragma once

#include <poll.h>
#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "plugins/plugin_log.hpp"
#include "probes/file_descriptor.hpp"
#include "probes/probe_frame_reader.hpp"
#include "probes/process_probe_runner.hpp"
#include "telemetry/plugin/result.hpp"

namespace telemetry {

class ProbeChild {
 public:
  using Clock = std::chrono::steady_clock;
  /// Poll entries per child: answer channel, stdout/stderr, process exit.
  static constexpr std::size_t kPollSlots = 3;

  /// Starts the child; throws std::system_error when it cannot be started.
  ProbeChild(const ProbeTask& task, Clock::time_point deadline,
             const ProcessProbeRunnerOptions& options);
  /// Kills and reaps a child that is still running.
  ~ProbeChild();
  ProbeChild(const ProbeChild&) = delete;
  ProbeChild& operator=(const ProbeChild&) = delete;

  /// Fills kPollSlots entries; closed descriptors are -1, which poll() skips.
  void preparePoll(pollfd* slots) const;
  /// Reads what poll() reported ready, notices the exit, and enforces deadline and limits.
  void afterPoll(const pollfd* slots, Clock::time_point now);
  /// The latest time the runner must call afterPoll() again.
  Clock::time_point wakeAt() const;

  bool finished() const { return phase_ == Phase::reaped; }
  /// What the probe gave, or why it gave nothing; valid once finished().
  ProbeOutcome outcome() const;

 private:
  enum class Phase { running, terminating, killed, reaped };

  void spawn(const ProbeTask& task, Clock::time_point deadline,
             const ProcessProbeRunnerOptions& options);
  void readChannel(Clock::time_point now);
  void readOutput(Clock::time_point now);
  void takeFrame(const ProbeFrame& frame, Clock::time_point now);
  void finishLine();
  void countChatter(std::size_t bytes, Clock::time_point now);
  void stop(std::string reason, int signal, Clock::time_point now);
  bool hasExited() const;
  void reap(Clock::time_point now);
  void abandon(Clock::time_point now);
  std::string describeEnd() const;

  std::string plugin_;
  std::string section_;
  Duration timeout_;
  Duration killGrace_;
  Clock::time_point started_;
  Clock::time_point deadline_;
  Clock::time_point ended_;
  Clock::time_point nextSignalAt_;

  pid_t pid_ = -1;
  FileDescriptor exit_;  // pidfd: readable once the child has ended
  FileDescriptor channel_;
  FileDescriptor output_;
  Phase phase_ = Phase::running;

  ProbeFrameReader frames_{kMaxProbeOutputBytes};
  std::unique_ptr<PluginLog> log_;
  std::size_t chatterBytes_ = 0;  // log frames plus stdout/stderr
  std::string partialLine_;
  std::string lastLine_;
  std::optional<plugin::Result> result_;
  std::optional<std::string> stopReason_;
  bool timedOut_ = false;
  std::optional<int> waitStatus_;
};

}  // namespace telemetry
