// How one plugin's telemetry-probe child is confined: what it is granted (its declared needs
// minus `plugins.deny`), the arguments that tell the child, whether `plugins.sandbox: strict`
// refuses to run it on this kernel, and the words `telemetry plugins` shows for it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "plugins/plugin_info.hpp"
#include "probes/process_probe_runner.hpp"
#include "probes/sandbox/sandbox_support.hpp"
#include "telemetry/config.hpp"
#include "telemetry/plugin/needs.hpp"

namespace telemetry {

/// What the sandbox is told by the configuration.
struct SandboxPolicy {
  bool confine = true;  ///< false: nothing is confined (measuring its cost; in-process mode)
  bool strict = false;  ///< `plugins.sandbox: strict`
  std::map<std::string, plugin::Needs> denied;  ///< `plugins.deny`
};

/// The policy `plugins` configures: confined in process mode, unconfined in-process.
SandboxPolicy sandboxPolicy(const PluginsConfig& plugins);

class ProbeSandbox {
 public:
  ProbeSandbox(const PluginInfo& plugin, const SandboxPolicy& policy,
               const SandboxSupport& support = sandboxSupport());

  /// telemetry-probe arguments: `--grant NEED` per granted need, `--sandbox strict`, or
  /// `--unconfined`.
  std::vector<std::string> arguments() const;
  /// Why the probe must not run at all (strict, and this kernel lacks a mechanism).
  std::optional<std::string> refusal() const;
  /// `reason` of a failed probe, plus which declared needs the operator withheld.
  std::string explainFailure(std::string reason) const;
  /// ("network", "declared"), ("writes", "denied (landlock)"), ... for `telemetry plugins`.
  std::vector<std::pair<std::string, std::string>> describe() const;

 private:
  plugin::Needs declared_;
  plugin::Needs granted_;
  SandboxPolicy policy_;
  SandboxSupport support_;
};

/// The sandbox of `task`'s child under the runner's `options`.
ProbeSandbox sandboxOf(const ProbeTask& task, const ProcessProbeRunnerOptions& options);

}  // namespace telemetry
