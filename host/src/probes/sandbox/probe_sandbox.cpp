#include "probes/sandbox/probe_sandbox.hpp"

#include "plugins/plugin_needs.hpp"

namespace telemetry {

SandboxPolicy sandboxPolicy(const PluginsConfig& plugins) {
  return {plugins.isolation == Isolation::process, plugins.strictSandbox, plugins.deniedNeeds};
}

ProbeSandbox::ProbeSandbox(const PluginInfo& plugin, const SandboxPolicy& policy,
                           const SandboxSupport& support)
    : declared_(plugin.needs),
      granted_(grantedNeeds(plugin.name, plugin.needs, policy.denied)),
      policy_(policy),
      support_(support) {}

std::vector<std::string> ProbeSandbox::arguments() const {
  if (!policy_.confine) return {"--unconfined"};
  std::vector<std::string> arguments;
  for (plugin::Need need : kKnownNeeds) {
    if (plugin::contains(granted_, need)) {
      arguments.emplace_back("--grant");
      arguments.emplace_back(nameOf(need));
    }
  }
  if (policy_.strict) {
    arguments.emplace_back("--sandbox");
    arguments.emplace_back("strict");
  }
  return arguments;
}

std::optional<std::string> ProbeSandbox::refusal() const {
  std::vector<std::string> gaps = support_.gaps();
  if (!policy_.confine || !policy_.strict || gaps.empty()) return std::nullopt;
  std::string text = "not run: plugins.sandbox is strict and this kernel offers no ";
  for (std::size_t i = 0; i < gaps.size(); ++i) text += (i == 0 ? "" : ", ") + gaps[i];
  return text;
}

std::string ProbeSandbox::explainFailure(std::string reason) const {
  std::string withheld;
  for (plugin::Need need : kKnownNeeds) {
    if (plugin::contains(declared_, need) && !plugin::contains(granted_, need)) {
      withheld += (withheld.empty() ? "" : ", ") + std::string(nameOf(need));
    }
  }
  if (withheld.empty() || !policy_.confine) return reason;
  return reason + " (plugins.deny withholds " + withheld + " from this plugin)";
}

std::vector<std::pair<std::string, std::string>> ProbeSandbox::describe() const {
  if (!policy_.confine) return {{"sandbox", "none (plugins.isolation: in-process)"}};
  std::vector<std::pair<std::string, std::string>> lines;
  for (plugin::Need need : kKnownNeeds) {
    bool declared = plugin::contains(declared_, need);
    bool granted = plugin::contains(granted_, need);
    std::string text = declared ? "declared" : "not declared";
    if (!granted) {
      text += declared ? ", denied by plugins.deny" : ", denied";
      text += support_.seccomp ? " (seccomp)" : " but allowed (this kernel has no seccomp)";
    }
    lines.emplace_back(nameOf(need), text);
  }
  lines.emplace_back("writes",
                     support_.landlockAbi > 0
                         ? "denied (landlock ABI " + std::to_string(support_.landlockAbi) + ")"
                         : "allowed (this kernel has no landlock)");
  lines.emplace_back("privileges", "no new ones (no_new_privs)");
  lines.emplace_back(
      "ptrace", support_.seccomp ? "denied (seccomp)" : "allowed (this kernel has no seccomp)");
  lines.emplace_back("processes", support_.seccomp ? "end with the probe (subreaper, seccomp)"
                                                   : "end with the probe (subreaper)");
  if (auto why = refusal()) lines.emplace_back("refused", *why);
  return lines;
}

ProbeSandbox sandboxOf(const ProbeTask& task, const ProcessProbeRunnerOptions& options) {
  return ProbeSandbox(task.plugin->info(),
                      {options.confine, options.strictSandbox, options.deniedNeeds});
}

}  // namespace telemetry
