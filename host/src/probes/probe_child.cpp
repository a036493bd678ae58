#include "probes/probe_child.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "config/logging.hpp"
#include "probes/probe_frame.hpp"
#include "probes/sandbox/probe_sandbox.hpp"

extern char** environ;

namespace telemetry {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// How long a child may take to vanish after SIGKILL before it is left to a background reaper
// (a process stuck in uninterruptible I/O cannot die sooner).
constexpr auto kReapPatience = std::chrono::seconds(2);
// Without a pidfd (Linux before 5.3) the exit is noticed by polling this often.
constexpr auto kExitPollInterval = std::chrono::milliseconds(10);
constexpr std::size_t kLastLineBytes = 200;

[[noreturn]] void fail(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

/// Moves `fd` to 4 or above: the spawn's file actions dup2 onto 0-3, in order, and must
/// never overwrite one of their own sources.
FileDescriptor aboveChildStdio(int fd, const char* what) {
  if (fd < 0) fail(what);
  if (fd > kProbeChannelFd) return FileDescriptor(fd);
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, kProbeChannelFd + 1);
  int error = errno;
  ::close(fd);
  errno = error;
  if (moved < 0) fail(what);
  return FileDescriptor(moved);
}

/// A close-on-exec pipe whose read end (first) does not block; the child's end blocks as
/// any program expects.
std::pair<FileDescriptor, FileDescriptor> makePipe() {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) != 0) fail("pipe2");
  FileDescriptor read = aboveChildStdio(ends[0], "pipe2");
  FileDescriptor write = aboveChildStdio(ends[1], "pipe2");
  if (::fcntl(read.get(), F_SETFL, O_NONBLOCK) != 0) fail("fcntl");
  return {std::move(read), std::move(write)};
}

/// The request as an in-memory file for the child's stdin: writing it can neither block nor
/// raise SIGPIPE in the host, and the settings (maybe with a password) never show in argv.
FileDescriptor requestFile(const ProbeTask& task) {
  FileDescriptor file =
      aboveChildStdio(::memfd_create("telemetry-probe-request", MFD_CLOEXEC), "memfd_create");
  std::string bytes = ProbeFrame{ProbeFrame::Type::settings, task.settingsJson}.encode();
  for (const auto& [name, value] : task.facts) {
    bytes += ProbeFrame{ProbeFrame::Type::fact, name + '\0' + value}.encode();
  }
  std::string_view rest = bytes;
  while (!rest.empty()) {
    ssize_t written = ::write(file.get(), rest.data(), rest.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) fail("writing the probe request");
    rest.remove_prefix(static_cast<std::size_t>(written));
  }
  if (::lseek(file.get(), 0, SEEK_SET) != 0) fail("lseek");
  return file;
}

/// The host's environment for the child. ASan reserves terabytes of address space, so in
/// sanitizer builds the memory limit is ASan's own RSS limit instead of RLIMIT_AS.
std::vector<std::string> childEnvironment(std::uint64_t memoryLimitBytes) {
  std::vector<std::string> environment;
  std::string asanOptions;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text = *entry;
    if (text.starts_with("ASAN_OPTIONS=")) {
      asanOptions = text.substr(13);
    } else {
      environment.emplace_back(text);
    }
  }
  if (kAddressSanitizer && memoryLimitBytes > 0) {
    asanOptions += (asanOptions.empty() ? "" : ":") + std::string("hard_rss_limit_mb=") +
                   std::to_string(memoryLimitBytes >> 20);
  }
  if (!asanOptions.empty()) environment.push_back("ASAN_OPTIONS=" + asanOptions);
  return environment;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string signalName(int signal) {
  const char* abbreviation = sigabbrev_np(signal);
  const char* description = sigdescr_np(signal);
  std::string name = abbreviation == nullptr ? "signal " + std::to_string(signal)
                                             : std::string("SIG") + abbreviation;
  return description == nullptr ? name : name + " (" + description + ")";
}

/// Hands `consume` what can be read from `fd` now; closes `fd` at end of file or on error.
template <class Consume>
void readAvailable(FileDescriptor& fd, Consume consume) {
  char buffer[32 * 1024];
  while (fd) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {
      fd.reset();
      return;
    }
    consume(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
}

}  // namespace

ProbeChild::ProbeChild(const ProbeTask& task, Clock::time_point deadline,
                       const ProcessProbeRunnerOptions& options)
    : plugin_(task.plugin->info().name),
      section_(task.plugin->info().section),
      timeout_(task.timeout),
      killGrace_(options.killGrace),
      deadline_(deadline),
      log_(std::make_unique<PluginLog>(plugin_)) {
  spawn(task, deadline, options);
}

ProbeChild::~ProbeChild() {
  if (pid_ < 0 || phase_ == Phase::reaped) return;
  ::kill(-pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

void ProbeChild::spawn(const ProbeTask& task, Clock::time_point deadline,
                       const ProcessProbeRunnerOptions& options) {
  auto [channelRead, channelWrite] = makePipe();
  auto [outputRead, outputWrite] = makePipe();
  FileDescriptor request = requestFile(task);

  auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  auto cpuLimit =
      options.cpuLimit.count() > 0
          ? options.cpuLimit
          : std::chrono::ceil<std::chrono::seconds>(task.timeout) + std::chrono::seconds(1);
  std::uint64_t addressSpace = kAddressSanitizer ? 0 : options.memoryLimitBytes;
  std::vector<std::string> arguments = {options.helper.string(),
                                        "--plugin",
                                        task.plugin->info().file.string(),
                                        "--name",
                                        plugin_,
                                        "--timeout-ms",
                                        std::to_string(std::max<long long>(remaining.count(), 1)),
                                        "--memory-limit",
                                        std::to_string(addressSpace),
                                        "--cpu-limit",
                                        std::to_string(cpuLimit.count()),
                                        "--parent-pid",
                                        std::to_string(::getpid())};
  if (options.allowUnsafe) arguments.emplace_back("--allow-unsafe");
  if (task.describeOnly) arguments.emplace_back("--describe");
  for (std::string& argument : sandboxOf(task, options).arguments()) {
    arguments.push_back(std::move(argument));
  }
  std::vector<std::string> environment = childEnvironment(options.memoryLimitBytes);
  std::vector<char*> argv = pointers(arguments);
  std::vector<char*> envp = pointers(environment);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, request.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, outputWrite.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, outputWrite.get(), STDERR_FILENO);
  posix_spawn_file_actions_adddup2(&actions, channelWrite.get(), kProbeChannelFd);
  // Descriptors the embedding product opened without O_CLOEXEC must not reach a plugin.
  posix_spawn_file_actions_addclosefrom_np(&actions, kProbeChannelFd + 1);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  // A session of its own: one kill(-pid) reaches everything the plugin started, and the
  // terminal's Ctrl-C reaches only the host. Signals start unblocked and at their defaults
  // whatever the product's threads did with theirs.
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &all);
  // posix_spawn (vfork and exec, nothing else in the child) is safe in a threaded host.
  int error = ::posix_spawn(&pid_, argv[0], &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    pid_ = -1;
    throw std::system_error(error, std::generic_category(),
                            "cannot start " + options.helper.string());
  }
  started_ = Clock::now();
  channel_ = std::move(channelRead);
  output_ = std::move(outputRead);
  // Through syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C". -1 on kernels before
  // 5.3, where wakeAt() falls back to polling for the exit.
  exit_ = FileDescriptor(static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0)));
}

void ProbeChild::preparePoll(pollfd* slots) const {
  slots[0] = pollfd{channel_.get(), POLLIN, 0};
  slots[1] = pollfd{output_.get(), POLLIN, 0};
  slots[2] = pollfd{exit_.get(), POLLIN, 0};
}

ProbeChild::Clock::time_point ProbeChild::wakeAt() const {
  Clock::time_point at = phase_ == Phase::running ? deadline_ : nextSignalAt_;
  if (!exit_) at = std::min(at, Clock::now() + kExitPollInterval);
  return at;
}

void ProbeChild::afterPoll(const pollfd* slots, Clock::time_point now) {
  if (phase_ == Phase::reaped) return;
  constexpr short kReady = POLLIN | POLLHUP | POLLERR;
  if (channel_ && (slots[0].revents & kReady) != 0) readChannel(now);
  if (output_ && (slots[1].revents & kReady) != 0) readOutput(now);
  if (exit_ ? (slots[2].revents & kReady) != 0 : hasExited()) {
    reap(now);
  } else if (phase_ == Phase::running && now >= deadline_) {
    timedOut_ = !stopReason_;
    stop("no answer within " + std::to_string(timeout_.count()) + " ms", SIGTERM, now);
  } else if (phase_ == Phase::terminating && now >= nextSignalAt_) {
    stop({}, SIGKILL, now);
  } else if (phase_ == Phase::killed && now >= nextSignalAt_) {
    abandon(now);
  }
}

void ProbeChild::readChannel(Clock::time_point now) {
  readAvailable(channel_, [&](std::string_view bytes) {
    frames_.append(bytes);
    while (auto frame = frames_.next()) takeFrame(*frame, now);
    if (frames_.oversized()) {
      stop("answered with more than 1 MiB", SIGKILL, now);
      channel_.reset();
    }
  });
}

void ProbeChild::takeFrame(const ProbeFrame& frame, Clock::time_point now) {
  if (stopReason_) return;
  if (auto line = logLineOf(frame)) {
    countChatter(frame.payload.size(), now);
    if (!stopReason_) log_->write(line->first, line->second);
    return;
  }
  // A second result, or a result frame too short to hold its kind, is malformed.
  if (!result_ && (result_ = resultOf(frame))) return;
  stop("sent a malformed message on the result channel", SIGKILL, now);
}

void ProbeChild::readOutput(Clock::time_point now) {
  readAvailable(output_, [&](std::string_view bytes) {
    countChatter(bytes.size(), now);
    for (char c : bytes) {
      if (c != '\n') partialLine_ += c;
      if (c == '\n' || partialLine_.size() >= PluginLog::kMaxLineBytes) finishLine();
    }
  });
}

void ProbeChild::finishLine() {
  if (partialLine_.empty()) return;
  lastLine_ = PluginLog::printable(partialLine_).substr(0, kLastLineBytes);
  log_->write(plugin::LogLevel::debug, "output: " + partialLine_);
  partialLine_.clear();
}

void ProbeChild::countChatter(std::size_t bytes, Clock::time_point now) {
  chatterBytes_ += bytes;
  if (chatterBytes_ > kMaxProbeOutputBytes) {
    stop("wrote more than 1 MiB of log lines and console output", SIGKILL, now);
  }
}

void ProbeChild::stop(std::string reason, int signal, Clock::time_point now) {
  if (!stopReason_ && !reason.empty()) stopReason_ = std::move(reason);
  if (phase_ == Phase::killed || phase_ == Phase::reaped) return;
  if (signal == SIGTERM && phase_ == Phase::terminating) return;
  ::kill(-pid_, signal);
  phase_ = signal == SIGKILL ? Phase::killed : Phase::terminating;
  nextSignalAt_ = now + (signal == SIGKILL ? Duration(kReapPatience) : killGrace_);
}

bool ProbeChild::hasExited() const {
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return errno == ECHILD;  // reaped elsewhere in the host
  }
  return info.si_pid == pid_;
}

void ProbeChild::reap(Clock::time_point now) {
  // Until waitpid the child is a zombie, so its group id cannot have been reused: this
  // takes down whatever it left running, such as a grandchild holding our pipes.
  ::kill(-pid_, SIGKILL);
  // What it wrote before it ended is still in the pipes; nothing more is waited for.
  if (channel_) readChannel(now);
  if (output_) readOutput(now);
  finishLine();
  channel_.reset();
  output_.reset();
  int status = 0;
  pid_t reaped = -1;
  do {
    reaped = ::waitpid(pid_, &status, 0);
  } while (reaped < 0 && errno == EINTR);
  if (reaped == pid_) waitStatus_ = status;
  exit_.reset();
  phase_ = Phase::reaped;
  ended_ = now;
}

void ProbeChild::abandon(Clock::time_point now) {
  logger()->error("probe '{}' (pid {}) is still there {} s after SIGKILL; reaping it later",
                  plugin_, pid_, kReapPatience.count());
  std::thread([pid = pid_] {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }).detach();
  channel_.reset();
  output_.reset();
  exit_.reset();
  phase_ = Phase::reaped;
  ended_ = now;
}

std::string ProbeChild::describeEnd() const {
  std::string text;
  if (!waitStatus_) {
    text = "ended without an answer (its exit status was collected elsewhere in the host)";
  } else if (WIFSIGNALED(*waitStatus_)) {
    int signal = WTERMSIG(*waitStatus_);
    text = signal == SIGXCPU ? "exceeded its CPU time limit (SIGXCPU)"
                             : "crashed with " + signalName(signal);
  } else {
    text = "exited with status " + std::to_string(WEXITSTATUS(*waitStatus_)) +
           (result_ ? " after answering" : " without an answer");
  }
  if (!lastLine_.empty()) text += "; last output: " + lastLine_;
  return text;
}

ProbeOutcome ProbeChild::outcome() const {
  ProbeOutcome outcome;
  outcome.plugin = plugin_;
  outcome.section = section_;
  outcome.elapsed = std::chrono::duration_cast<Duration>(ended_ - started_);
  bool cleanExit = !waitStatus_ || (WIFEXITED(*waitStatus_) && WEXITSTATUS(*waitStatus_) == 0);
  if (stopReason_) {
    outcome.status = timedOut_ ? ProbeOutcome::Status::timedOut : ProbeOutcome::Status::failed;
    outcome.text = *stopReason_;
  } else if (result_ && cleanExit) {
    outcome.status = toStatus(result_->kind());
    outcome.text = result_->text();
  } else {
    outcome.status = ProbeOutcome::Status::failed;
    outcome.text = describeEnd();
  }
  return outcome;
}

}  // namespace telemetry
