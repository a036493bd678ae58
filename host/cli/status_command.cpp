#include <iostream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "commands.hpp"
#include "exit_code.hpp"
#include "telemetry/config_loader.hpp"
#include "telemetry/plugin_catalog.hpp"
#include "telemetry/sending_permission.hpp"
#include "telemetry/state_store.hpp"
#include "time_text.hpp"

namespace telemetry::cli {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Object;

Var optionalTime(const std::optional<StateStore::TimePoint>& at) {
  return at ? Var(timeText(*at)) : Var();
}

/// The status as one JSON object; the text form is printed from it, so both agree.
Object::Ptr collectStatus(const Config& config) {
  StateStore state(config.state.path, config.telemetry.initialize);
  const bool enabled = state.telemetryEnabled();
  const auto forbidden = sendingForbidden(config.telemetry);
  Object::Ptr status = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  status->set("installation", state.installationId());
  status->set("enabled", enabled);
  status->set("reporter-activate", config.telemetry.reporterActivate);
  status->set("sending-forbidden", forbidden ? Var(*forbidden) : Var());
  status->set("initial-report-sent", optionalTime(state.initialReportSentAt()));

  Object::Ptr last = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  if (auto record = state.lastSend()) {
    last->set("time", timeText(record->at));
    last->set("kind", record->kind);
    last->set("http-status", record->httpStatus == 0 ? Var() : Var(record->httpStatus));
    last->set("error", record->error.empty() ? Var() : Var(record->error));
    status->set("last-send", last);
  } else {
    status->set("last-send", Var());
  }
  // The daemon schedules a period after the last delivered report (or after it starts).
  std::optional<StateStore::TimePoint> next;
  if (enabled && !forbidden) {
    if (auto delivered = state.lastFullReportDelivered()) {
      next = *delivered + config.telemetry.reportingPeriod;
    }
  }
  status->set("next-send", optionalTime(next));
  status->set("endpoint", config.telemetry.endpoint);
  status->set("state", state.location());
  status->set("audit-log", config.state.auditLog);

  Poco::JSON::Array::Ptr plugins = new Poco::JSON::Array;
  PluginCatalog catalog(pluginSearchPath(config), config.plugins.enabled,
                        config.plugins.allowUnsafe);
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

std::string text(const Var& value, const std::string& none) {
  return value.isEmpty() ? none : value.convert<std::string>();
}

void printText(const Object::Ptr& s) {
  std::cout << "installation:        " << s->getValue<std::string>("installation") << '\n'
            << "telemetry:           " << (s->getValue<bool>("enabled") ? "enabled" : "disabled")
            << '\n'
            << "reporter-activate:   "
            << (s->getValue<bool>("reporter-activate") ? "true" : "false") << '\n';
  if (!s->get("sending-forbidden").isEmpty()) {
    std::cout << "sending:             forbidden (" << text(s->get("sending-forbidden"), "")
              << ")\n";
  }
  std::cout << "initial report sent: " << text(s->get("initial-report-sent"), "never") << '\n';
  std::cout << "last send:           ";
  if (auto last = s->getObject("last-send")) {
    std::cout << last->getValue<std::string>("time") << ' ' << last->getValue<std::string>("kind")
              << " report, " << text(last->get("http-status"), "no answer")
              << (last->get("error").isEmpty() ? "" : ", " + text(last->get("error"), "")) << '\n';
  } else {
    std::cout << "never\n";
  }
  std::cout << "next send:           "
            << text(s->get("next-send"),
                    "one reporting period after 'telemetry run' starts, if "
                    "enabled")
            << '\n'
            << "endpoint:            " << s->getValue<std::string>("endpoint") << '\n'
            << "state:               " << s->getValue<std::string>("state") << '\n'
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
    status->stringify(std::cout, 2);
    std::cout << '\n';
  } else {
    printText(status);
  }
  return kSuccess;
}

}  // namespace telemetry::cli
