// Runs each probe in a telemetry-probe child process of its own, so a crash, hang, leak or
// flood costs that probe's section and never the host. Children run in parallel under
// per-probe deadlines and resource limits; each is killed with its whole process group.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "probes/probe_runner.hpp"
#include "telemetry/plugin/needs.hpp"

namespace telemetry {

/// Where the helper is and what a child may use; the defaults are the production values.
struct ProcessProbeRunnerOptions {
  /// The telemetry-probe executable; empty means ProcessProbeRunner::defaultHelper().
  std::filesystem::path helper;
  /// Address space of a child (RLIMIT_AS) in bytes, 0 for none. 1 GiB leaves room for
  /// a JDBC-sized client library while a runaway allocation fails quickly.
  std::uint64_t memoryLimitBytes = std::uint64_t{1} << 30;
  /// CPU time of a child (RLIMIT_CPU); zero means the probe's timeout, rounded up, + 1 s.
  std::chrono::seconds cpuLimit{0};
  /// Children at once; 0 means four per core, since probes mostly wait on I/O.
  unsigned parallelism = 0;
  /// Between SIGTERM and SIGKILL for a child past its deadline.
  Duration killGrace = std::chrono::milliseconds(200);
  /// `plugins.allow-unsafe`: the child checks its plugin file again before loading it.
  bool allowUnsafe = false;
  /// Confine each child before it loads its plugin: no network unless declared, no writes,
  /// no new privileges, no ptrace, its processes end with it. Off only to measure the cost.
  bool confine = true;
  /// `plugins.sandbox: strict`: a probe this kernel cannot confine fully is not run.
  bool strictSandbox = false;
  /// `plugins.deny`: plugin name -> declared needs its child is not granted.
  std::map<std::string, plugin::Needs> deniedNeeds;
};

class ProcessProbeRunner final : public ProbeRunner {
 public:
  explicit ProcessProbeRunner(ProcessProbeRunnerOptions options = {});

  /// Starts one child per task (at most `parallelism` at once) and waits for all of them,
  /// never longer than the longest timeout plus the kill grace. Safe to call from several
  /// threads at once.
  std::vector<ProbeOutcome> run(const std::vector<ProbeTask>& tasks) override;

  /// The helper this runner starts.
  const std::filesystem::path& helper() const { return options_.helper; }

  /// $TELEMETRY_PROBE_HELPER, else telemetry-probe beside the running executable (the
  /// CLI's case, in a build tree too), else in the bin/ that goes with the library holding
  /// this code (an embedding: PREFIX/lib/libtelemetry-c.so -> PREFIX/bin), else the
  /// installed PREFIX/bin/telemetry-probe. `plugins.probe-helper` overrides all of them.
  static std::filesystem::path defaultHelper();

 private:
  ProcessProbeRunnerOptions options_;
};

}  // namespace telemetry
