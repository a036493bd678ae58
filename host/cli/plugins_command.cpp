#include <algorithm>
#include <iostream>
#include <memory>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "command_registry.hpp"
#include "exit_code.hpp"
#include "plugins/configured_catalog.hpp"
#include "plugins/plugin_catalog.hpp"
#include "plugins/plugin_needs.hpp"
#include "probes/probe_history.hpp"
#include "probes/sandbox/probe_sandbox.hpp"
#include "report/pretty_json.hpp"
#include "telemetry/config_loader.hpp"

namespace telemetry::cli {

struct PluginsOptions {
  bool json = false;
};

namespace {

std::string abiText(const PluginInfo& p) {
  if (!p.abi) return "-";
  return std::to_string(p.abi->major) + "." + std::to_string(p.abi->minor);
}

using History = std::map<std::string, ProbeHistory::Entry>;

const ProbeHistory::Entry* lastRun(const History& history, const PluginInfo& p) {
  auto it = history.find(p.name);
  return it == history.end() ? nullptr : &it->second;
}

/// What a plugin declared and how its child is confined; nothing for a file not read.
std::vector<std::pair<std::string, std::string>> sandboxLines(const PluginInfo& p,
                                                              const SandboxPolicy& policy) {
  if (!p.usable()) return {};
  return ProbeSandbox(p, policy).describe();
}

void addSandbox(Poco::JSON::Object& o, const PluginInfo& p, const SandboxPolicy& policy) {
  Poco::JSON::Array::Ptr needs = new Poco::JSON::Array;
  for (plugin::Need need : kKnownNeeds) {
    if (plugin::contains(p.needs, need)) needs->add(std::string(nameOf(need)));
  }
  o.set("needs", needs);
  Poco::JSON::Object::Ptr sandbox = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  for (const auto& [aspect, text] : sandboxLines(p, policy)) sandbox->set(aspect, text);
  o.set("sandbox", sandbox);
}

void printSandbox(const PluginInfo& p, const SandboxPolicy& policy) {
  std::string line;
  for (const auto& [aspect, text] : sandboxLines(p, policy)) {
    line += (line.empty() ? "" : "; ") + aspect + ": " + text;
  }
  if (!line.empty()) std::cout << "  sandbox: " << line << '\n';
}

void printJson(const std::vector<PluginInfo>& plugins, const History& history,
               const SandboxPolicy& policy) {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const PluginInfo& p : plugins) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("name", p.name);
    o->set("file", p.file.string());
    o->set("abi", p.abi ? Poco::Dynamic::Var(abiText(p)) : Poco::Dynamic::Var());
    o->set("version", p.version);
    o->set("section", p.section);
    o->set("description", p.description);
    o->set("enabled", p.enabled);
    o->set("state", p.state);
    addSandbox(*o, p, policy);
    const ProbeHistory::Entry* last = lastRun(history, p);
    o->set("last-outcome", last ? Poco::Dynamic::Var(last->outcome) : Poco::Dynamic::Var());
    o->set("last-duration-ms", last ? Poco::Dynamic::Var(static_cast<Poco::Int64>(last->durationMs))
                                    : Poco::Dynamic::Var());
    o->set("last-run", last ? Poco::Dynamic::Var(last->at) : Poco::Dynamic::Var());
    list->add(o);
  }
  std::cout << prettyJson(list) << '\n';
}

void printTable(const std::vector<PluginInfo>& plugins, const History& history,
                const SandboxPolicy& policy) {
  std::size_t nameWidth = 4, sectionWidth = 7;
  for (const PluginInfo& p : plugins) {
    nameWidth = std::max(nameWidth, p.name.size());
    sectionWidth = std::max(sectionWidth, p.section.size());
  }
  auto pad = [](std::string s, std::size_t w) { return s.append(w - std::min(w, s.size()), ' '); };
  std::cout << pad("NAME", nameWidth) << "  " << pad("SECTION", sectionWidth)
            << "  ABI  ENABLED  STATE  (FILE)\n";
  for (const PluginInfo& p : plugins) {
    std::cout << pad(p.name, nameWidth) << "  " << pad(p.section, sectionWidth) << "  "
              << pad(abiText(p), 3) << "  " << pad(p.enabled ? "yes" : "no", 7) << "  " << p.state
              << (p.file.empty() ? "" : "  (" + p.file.string() + ")") << '\n';
    printSandbox(p, policy);
    if (const ProbeHistory::Entry* last = lastRun(history, p)) {
      std::cout << "  last run " << last->at << ", " << last->durationMs << " ms: " << last->outcome
                << '\n';
    }
  }
  if (plugins.empty()) std::cout << "(no plugins found)\n";
}

}  // namespace

int runPlugins(const Config& config, const PluginsOptions& options) {
  PluginCatalog catalog = configuredCatalog(config);
  History history = ProbeHistory(ProbeHistory::locationFor(config.state)).read();
  if (config.plugins.isolation == Isolation::process) logSandboxGapsOnce();
  if (options.json) {
    printJson(catalog.plugins(), history, sandboxPolicy(config.plugins));
  } else {
    printTable(catalog.plugins(), history, sandboxPolicy(config.plugins));
  }
  return success;
}

namespace {

void setupPlugins(CLI::App& app, CommandRun& chosen) {
  auto options = std::make_shared<PluginsOptions>();
  auto* plugins = app.add_subcommand("plugins", "list every plugin found and its state");
  plugins->add_flag("--json", options->json, "print JSON instead of a table");
  plugins->footer(R"(STATE is loaded, missing, or refused with the reason: a file others can write
(plugins.allow-unsafe), an ABI the host does not support, not a telemetry plugin.
Only the plugins under plugins.enabled run.
Examples:
  telemetry plugins
  telemetry --config /etc/telemetry/telemetry.yaml plugins --json)");
  runWhenChosen(*plugins, chosen,
                [options](const Invocation& call) { return runPlugins(call.config, *options); });
}

[[maybe_unused]] const bool kPluginsRegistered = registerCommand({20, setupPlugins});

}  // namespace

}  // namespace telemetry::cli
