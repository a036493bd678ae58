#include "report/status_json.hpp"

#include <Poco/JSON/Array.h>

#include "config/time_text.hpp"

namespace telemetry {
namespace {

using Poco::Dynamic::Var;

Var optionalTime(const std::optional<std::chrono::system_clock::time_point>& at) {
  return at ? Var(timeText(*at)) : Var();
}

}  // namespace

std::string optInText(const std::optional<bool>& optIn) {
  if (!optIn) return "unset";
  return *optIn ? "enabled" : "disabled";
}

Poco::JSON::Object::Ptr toJson(const HostStatus& s) {
  Poco::JSON::Object::Ptr status = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  status->set("installation", s.installationId);
  status->set("installation-problem", s.installationProblem ? Var(*s.installationProblem) : Var());
  status->set("enabled", s.enabled);
  status->set("opt-in", optInText(s.optIn));
  status->set("reporter-activate", s.reporterActivate);
  status->set("sending-forbidden", s.forbidden ? Var(*s.forbidden) : Var());
  status->set("initial-report-sent", optionalTime(s.initialReportSent));
  status->set("initial-report-waived", s.initialReportWaived);
  if (s.lastSend) {
    Poco::JSON::Object::Ptr last = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    last->set("time", timeText(s.lastSend->at));
    last->set("kind", s.lastSend->kind);
    last->set("http-status", s.lastSend->httpStatus == 0 ? Var() : Var(s.lastSend->httpStatus));
    last->set("error", s.lastSend->error.empty() ? Var() : Var(s.lastSend->error));
    status->set("last-send", last);
  } else {
    status->set("last-send", Var());
  }
  status->set("next-send", optionalTime(s.nextSend));
  status->set("endpoint", s.endpoint);
  status->set("state", s.stateLocation);
  status->set("audit-log", s.auditLog);
  status->set("license-key-stored", s.licenseKeyStored);
  Poco::JSON::Array::Ptr deletions = new Poco::JSON::Array;
  for (const auto& id : s.pendingDeletions) deletions->add(id);
  status->set("pending-deletions", deletions);
  return status;
}

}  // namespace telemetry
