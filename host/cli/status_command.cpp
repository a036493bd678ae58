#include <iostream>
#include <memory>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "command_registry.hpp"
#include "delivery/sending_permission.hpp"
#include "exit_code.hpp"
#include "plugins/configured_catalog.hpp"
#include "plugins/plugin_catalog.hpp"
#include "report/pretty_json.hpp"
#include "report/status_json.hpp"
#include "state/installation_id.hpp"
#include "state/state_store.hpp"
#include "telemetry/config_loader.hpp"

namespace telemetry::cli {

struct StatusOptions {
  bool json = false;
};

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

/// The status as one JSON object; the text form is printed from it, so both agree.
Object::Ptr collectStatus(const Config& config) {
  // Only looks: a missing store is not created (its in-memory stand-in shows the defaults).
  StateStore state(config.state.path, config.telemetry.initialize, config.usage.exactTaskWorkers,
                   StoreOpening::inMemoryIfMissing);
  HostStatus s;
  s.installationId = state.installationId();
  s.optIn = state.optIn();
  s.enabled = s.optIn.value_or(false);
  s.installationProblem = installationIdProblem(s.installationId);
  s.reporterActivate = config.telemetry.reporterActivate;
  s.forbidden = sendingForbidden(config.telemetry);
  s.initialReportSent = state.initialReportSentAt();
  s.initialReportWaived = !s.initialReportSent && state.initialReportSettled();
  s.lastSend = state.lastSend();
  // The running reporter's own plan, jitter included; none while nothing may be sent.
  if (s.enabled && !s.forbidden) s.nextSend = state.plannedFullReport();
  s.endpoint = config.telemetry.endpoint;
  s.stateLocation = state.location();
  s.auditLog = config.state.auditLog;
  s.licenseKeyStored = state.licenseKey().has_value();
  for (const auto& deletion : state.pendingDeletions()) {
    s.pendingDeletions.push_back(deletion.installationId);
  }
  Object::Ptr status = toJson(s);
  if (state.inMemory()) status->set("installation", Var());
  status->set("state-exists", !state.inMemory());

  Poco::JSON::Array::Ptr plugins = new Poco::JSON::Array;
  PluginCatalog catalog = configuredCatalog(config);
  for (const PluginInfo& p : catalog.plugins()) {
    if (!p.enabled) continue;
    Object::Ptr plugin = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    plugin->set("name", p.name);
    plugin->set("state", p.state);
    plugins->add(plugin);
  }
  status->set("plugins", plugins);
  return status;
}

std::string telemetryText(const std::string& optIn) {
  if (optIn != "unset") return optIn;
  return "disabled (not decided yet: only the initial report is sent until someone enables or "
         "disables telemetry)";
}

std::string text(const Var& value, const std::string& none) {
  return value.isEmpty() ? none : value.convert<std::string>();
}

void printText(const Object::Ptr& s) {
  std::cout << "installation:        " << text(s->get("installation"), "none yet") << '\n';
  if (!s->get("installation-problem").isEmpty()) {
    std::cout << "                     nothing is sent: "
              << text(s->get("installation-problem"), "")
              << " (see 'Repairing the installation id' in docs/operations.md)\n";
  }
  std::cout << "telemetry:           " << telemetryText(s->getValue<std::string>("opt-in")) << '\n'
            << "reporter-activate:   "
            << (s->getValue<bool>("reporter-activate") ? "true" : "false") << '\n';
  if (!s->get("sending-forbidden").isEmpty()) {
    std::cout << "sending:             forbidden (" << text(s->get("sending-forbidden"), "")
              << ")\n";
  }
  std::cout << "initial report sent: "
            << text(s->get("initial-report-sent"),
                    s->getValue<bool>("initial-report-waived")
                        ? "never (waived: a deletion was requested before it went out)"
                        : "never")
            << '\n';
  auto deletions = s->getArray("pending-deletions");
  for (std::size_t i = 0; deletions && i < deletions->size(); ++i) {
    std::cout << "deletion pending:    installation "
              << deletions->getElement<std::string>(static_cast<unsigned>(i))
              << " (the collector has not acknowledged it yet; 'telemetry run' or 'telemetry "
                 "send' sends it)\n";
  }
  std::cout << "last send:           ";
  if (auto last = s->getObject("last-send")) {
    std::cout << last->getValue<std::string>("time") << ' ' << last->getValue<std::string>("kind")
              << " report, " << text(last->get("http-status"), "no answer")
              << (last->get("error").isEmpty() ? "" : ", " + text(last->get("error"), "")) << '\n';
  } else {
    std::cout << "never\n";
  }
  std::string noPlan =
      "when 'telemetry run' starts: a minute or two after it, or a period after "
      "the last delivered report if that is later";
  if (!s->get("sending-forbidden").isEmpty()) {
    noPlan = "never (" + text(s->get("sending-forbidden"), "") + ")";
  } else if (!s->getValue<bool>("enabled")) {
    noPlan = "none while telemetry is disabled";
  }
  std::cout << "next send:           " << text(s->get("next-send"), noPlan) << '\n'
            << "endpoint:            " << s->getValue<std::string>("endpoint") << '\n'
            << "state:               " << s->getValue<std::string>("state")
            << (s->getValue<bool>("state-exists")
                    ? ""
                    : " (does not exist yet: 'telemetry run', 'send' or 'enable' creates it)")
            << '\n'
            << "audit log:           " << s->getValue<std::string>("audit-log") << '\n'
            << "plugins:             ";
  auto plugins = s->getArray("plugins");
  if (plugins->size() == 0) std::cout << "none enabled";
  for (std::size_t i = 0; i < plugins->size(); ++i) {
    auto p = plugins->getObject(static_cast<unsigned>(i));
    std::cout << (i == 0 ? "" : ", ") << p->getValue<std::string>("name") << " ("
              << p->getValue<std::string>("state") << ')';
  }
  std::cout << '\n';
}

}  // namespace

int runStatus(const Config& config, const StatusOptions& options) {
  Object::Ptr status = collectStatus(config);
  if (options.json) {
    std::cout << prettyJson(status) << '\n';
  } else {
    printText(status);
  }
  return success;
}

namespace {

void setupStatus(CLI::App& app, CommandRun& chosen) {
  auto options = std::make_shared<StatusOptions>();
  auto* status = app.add_subcommand(
      "status", "installation id, opt-in, initial report, last and next send, plugins");
  status->add_flag("--json", options->json, "print JSON instead of text");
  status->footer("Examples:\n  telemetry status\n  telemetry status --json");
  runWhenChosen(*status, chosen,
                [options](const Invocation& call) { return runStatus(call.config, *options); });
}

[[maybe_unused]] const bool kStatusRegistered = registerCommand({70, setupStatus});

}  // namespace

}  // namespace telemetry::cli
