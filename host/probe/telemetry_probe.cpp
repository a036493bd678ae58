// telemetry-probe: runs one probe plugin for the host's ProcessProbeRunner in a process of
// its own, so a crash, hang or leak costs one report section, never the host.
// Protocol (probe_frame.hpp): settings and facts as frames on stdin; log lines and then one
// result as frames on descriptor 3; stdout and stderr belong to the plugin. Exit 0 after the
// result, 2 for bad arguments.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "plugins/plugin_catalog.hpp"
#include "probes/describe_mode.hpp"
#include "probes/probe_frame.hpp"
#include "probes/probe_frame_reader.hpp"
#include "probes/sandbox/probe_confinement.hpp"
#include "telemetry/plugin/context.hpp"

#ifdef __SANITIZE_ADDRESS__
// In sanitizer builds only: LeakSanitizer stops the process's threads with ptrace at exit,
// which the confinement refuses, so every exit would become status 1. Plugin code's leaks
// are still checked where it runs in the test process (in-process runner tests).
extern "C" const char* __lsan_default_options() { return "detect_leaks=0"; }
#endif

namespace {

using telemetry::ProbeFrame;
using telemetry::plugin::Result;

/// Frames to the host; plugin threads may log at the same time as the main thread answers.
class Channel {
 public:
  void send(ProbeFrame::Type type, char code, std::string_view text) {
    std::string bytes = ProbeFrame{type, code + std::string(text)}.encode();
    std::lock_guard lock(mutex_);
    std::string_view rest = bytes;
    while (!rest.empty()) {
      ssize_t n = ::write(telemetry::kProbeChannelFd, rest.data(), rest.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) _exit(1);  // the host is gone; nobody is left to answer
      rest.remove_prefix(static_cast<std::size_t>(n));
    }
  }

 private:
  std::mutex mutex_;
};

struct Request {
  std::string settings = "{}";
  telemetry::plugin::Context::Facts facts;
};

/// Settings and facts from stdin, which the host filled before starting us.
Request readRequest() {
  telemetry::ProbeFrameReader reader(std::size_t{64} << 20);
  char buffer[16 * 1024];
  ssize_t n = 0;
  while ((n = ::read(STDIN_FILENO, buffer, sizeof buffer)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    reader.append(std::string_view(buffer, static_cast<std::size_t>(n)));
  }
  Request request;
  while (auto frame = reader.next()) {
    if (frame->type == ProbeFrame::Type::settings) {
      request.settings = std::move(frame->payload);
    } else if (frame->type == ProbeFrame::Type::fact) {
      auto nul = frame->payload.find('\0');
      if (nul == std::string::npos) continue;
      request.facts.emplace(frame->payload.substr(0, nul), frame->payload.substr(nul + 1));
    }
  }
  return request;
}

void limit(int resource, rlim_t value) {
  rlimit limit{value, value};
  if (resource == RLIMIT_CPU) limit.rlim_max = value + 1;  // SIGXCPU first, SIGKILL a second later
  if (::setrlimit(resource, &limit) != 0) {
    std::cerr << "telemetry-probe: setrlimit(" << resource << "): " << std::strerror(errno) << '\n';
  }
}

/// Loads the plugin into `loaded`, which the caller keeps until _exit: unloading could pull
/// code from under a thread the plugin left running.
Result collect(const std::string& file, const std::string& name, bool allowUnsafe,
               std::chrono::milliseconds timeout, const Request& request, Channel& channel,
               std::shared_ptr<telemetry::LoadedPlugin>& loaded) {
  // The same checks and loading as the host's catalog, repeated here because the file may
  // have changed since the host looked at it.
  telemetry::PluginInfo info = telemetry::PluginCatalog::inspect(file, allowUnsafe, loaded);
  if (!loaded) return Result::error("cannot load " + file + ": " + info.state);
  if (info.name != name) {
    return Result::error(file + " now holds plugin '" + info.name + "', not '" + name + "'");
  }
  std::string error;
  auto probe = loaded->createProbe(error);
  if (!probe) return Result::error("cannot create probe: " + error);
  telemetry::plugin::Context context(
      request.settings, telemetry::plugin::Context::Clock::now() + timeout,
      [&channel](telemetry::plugin::LogLevel level, std::string_view message) {
        channel.send(ProbeFrame::Type::log, static_cast<char>('0' + static_cast<int>(level)),
                     message);
      },
      request.facts);
  return loaded->descriptor().collect(probe.get(), context);
}

/// Confines this process as the host asked (see probe_confinement.hpp); in strict mode
/// returns why the probe must not run when the kernel cannot confine it fully.
std::optional<std::string> confine(const std::vector<std::string>& grants,
                                   const std::string& sandbox, bool unconfined) {
  if (unconfined) return std::nullopt;
  bool network = std::find(grants.begin(), grants.end(), "network") != grants.end();
  std::vector<std::string> missing = telemetry::confineProbe(network);
  if (missing.empty() || sandbox != "strict") return std::nullopt;
  std::string text = "not run: plugins.sandbox is strict and the child cannot be confined (";
  for (std::size_t i = 0; i < missing.size(); ++i) text += (i == 0 ? "" : "; ") + missing[i];
  return text + ")";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Runs one telemetry probe plugin for the telemetry host; not for direct use."};
  std::string file, name;
  long long timeoutMs = 10'000;
  std::uint64_t memoryLimit = 0;
  long long cpuLimit = 0;
  long long parentPid = 0;
  bool allowUnsafe = false;
  bool describe = false;
  std::vector<std::string> grants;
  std::string sandbox = "best-effort";
  bool unconfined = false;
  app.add_option("--plugin", file, "plugin file")->required();
  app.add_option("--name", name, "plugin name the host expects")->required();
  app.add_option("--timeout-ms", timeoutMs, "time left until the deadline");
  app.add_option("--memory-limit", memoryLimit, "RLIMIT_AS in bytes, 0 for none");
  app.add_option("--cpu-limit", cpuLimit, "RLIMIT_CPU in seconds, 0 for none");
  app.add_option("--parent-pid", parentPid, "the host; this process ends with it");
  app.add_flag("--allow-unsafe", allowUnsafe, "load a world-writable or foreign-owned file");
  app.add_flag("--describe", describe, "answer the plugin's description instead of collecting");
  app.add_option("--grant", grants, "a need the plugin declared and may use (network)");
  app.add_option("--sandbox", sandbox, "strict: no answer but an error unless fully confined");
  app.add_flag("--unconfined", unconfined, "skip the confinement (measuring its cost)");
  CLI11_PARSE(app, argc, argv);

  // Programs the plugin runs must not inherit the channel; forked copies still do, which
  // the host copes with by never waiting for the channel to close.
  ::fcntl(telemetry::kProbeChannelFd, F_SETFD, FD_CLOEXEC);
  Channel channel;
  // Die with the host (the check covers a host that died before the prctl).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (parentPid != 0 && ::getppid() != parentPid) return 1;
  if (memoryLimit > 0) limit(RLIMIT_AS, static_cast<rlim_t>(memoryLimit));
  if (cpuLimit > 0) limit(RLIMIT_CPU, static_cast<rlim_t>(cpuLimit));
  limit(RLIMIT_CORE, 0);  // a crashing plugin leaves no core files behind

  Request request = readRequest();
  std::shared_ptr<telemetry::LoadedPlugin> loaded;
  auto refusal = confine(grants, sandbox, unconfined);
  Result result = refusal ? Result::error(*refusal)
                  : describe
                      ? telemetry::describePlugin(file, allowUnsafe, loaded)
                      : collect(file, name, allowUnsafe, std::chrono::milliseconds(timeoutMs),
                                request, channel, loaded);
  channel.send(ProbeFrame::Type::result, static_cast<char>('0' + static_cast<int>(result.kind())),
               result.text());
  telemetry::endDescendants();
  // No static destructors or atexit handlers of the plugin run after the answer.
  std::cout.flush();
  _exit(0);
}
