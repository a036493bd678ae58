#include "api/api_routes.hpp"

#include <array>
#include <limits>

#include <Poco/JSON/Array.h>

#include "api/admin_assets.hpp"
#include "api/api_error.hpp"
#include "api/api_request.hpp"
#include "api/api_response.hpp"
#include "config/logging.hpp"
#include "delivery/report_dispatcher.hpp"
#include "report/field_dictionary.hpp"
#include "report/pretty_json.hpp"
#include "report/report_source.hpp"
#include "report/status_json.hpp"
#include "state/state_store.hpp"
#include "telemetry/usage_count.hpp"
#include "telemetry/usage_limits.hpp"
#include "telemetry/usage_metric.hpp"

namespace telemetry::api {
namespace {

using Poco::JSON::Object;

void getConfiguration(ApiContext& api, ApiCall& call) {
  Object::Ptr body = new Object;
  // null until someone decided, as Camunda answers: the admin page then asks an admin.
  const std::optional<bool> optIn = api.host.optIn();
  body->set("enableTelemetry", optIn ? Poco::Dynamic::Var(*optIn) : Poco::Dynamic::Var());
  sendJson(call.response, body);
}

void postConfiguration(ApiContext& api, ApiCall& call) {
  auto body = readJsonObject(call.request, api.maxBody, {"enableTelemetry"});
  auto value = body->get("enableTelemetry");
  if (value.isEmpty()) throw ApiError(400, "'enableTelemetry' is missing", "enableTelemetry");
  if (!value.isBoolean()) {
    throw ApiError(400, "'enableTelemetry' must be true or false", "enableTelemetry");
  }
  const bool enable = value.extract<bool>();
  api.host.toggle(enable);
  logger()->info("REST API: telemetry {} by '{}'", enable ? "enabled" : "disabled",
                 printable(call.user.name));
  sendNoContent(call.response);
}

// Deletion on request: the REST twin of `telemetry disable --delete`. The running reporter
// sends the request, so the answer does not wait for the collector: status shows it pending.
void postDeletionRequest(ApiContext& api, ApiCall& call) {
  readJsonObject(call.request, api.maxBody, {});
  const std::string old = api.host.requestDeletion();
  logger()->info("REST API: telemetry disabled and deletion of installation {} requested by '{}'",
                 old, printable(call.user.name));
  Object::Ptr body = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  body->set("deletedInstallation", old);
  body->set("installation", api.host.state().installationId());
  body->set("enableTelemetry", false);
  sendBody(call.response, 202, "application/json", prettyJson(body) + "\n");
}

void getData(ApiContext& api, ApiCall& call) {
  std::string report;
  {
    std::lock_guard lock(api.previewMutex);
    report = api.host.report();
  }
  sendBody(call.response, 200, "application/json", report + "\n");
}

void getExplainedData(ApiContext& api, ApiCall& call) {
  Object::Ptr explained;
  {
    std::lock_guard lock(api.previewMutex);
    api.host.checkpoint();
    Object::Ptr report = api.host.dispatcher().fullReport();
    explained = FieldDictionary(api.host.source().catalog().plugins()).toJson(report);
  }
  sendJson(call.response, explained);
}

void getStatus(ApiContext& api, ApiCall& call) {
  Object::Ptr status = toJson(api.host.status());
  status->set("legal-note", std::string(kLegalNote));
  sendJson(call.response, status);
}

void putLicenseKey(ApiContext& api, ApiCall& call) {
  std::string key = readBody(call.request, api.maxBody);
  while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) key.pop_back();
  if (key.empty()) {
    throw ApiError(400, "the license key is empty; DELETE /telemetry/license-key removes it");
  }
  api.host.setLicenseKey(key, LicenseKeySource::adminWebapp);
  logger()->info("REST API: license key set by '{}' ({} bytes)", printable(call.user.name),
                 key.size());
  sendNoContent(call.response);
}

void deleteLicenseKey(ApiContext& api, ApiCall& call) {
  api.host.clearLicenseKey();
  logger()->info("REST API: license key removed by '{}'", printable(call.user.name));
  sendNoContent(call.response);
}

std::uint64_t countOf(const Poco::Dynamic::Var& value, const std::string& field) {
  // Poco's parser makes an Int64 of every whole number that fits one; anything else (a
  // fraction, 2^63 and above, which it may even wrap to 0) is out of range.
  if (value.type() == typeid(Poco::Int64) && value.extract<Poco::Int64>() >= 1) {
    return static_cast<std::uint64_t>(value.extract<Poco::Int64>());
  }
  throw ApiError(400, "'" + field + "' " + std::string(kUsageCountRange), field);
}

Object::Ptr objectField(const Object::Ptr& body, const std::string& name) {
  if (!body->has(name)) return nullptr;
  auto object = body->getObject(name);
  if (!object) throw ApiError(400, "'" + name + "' must be an object of counts", name);
  return object;
}

void checkName(const std::string& name, const std::string& field) {
  if (name.empty() || name.size() > kMaxUsageNameLength) {
    throw ApiError(
        400,
        "'" + field + "' must be 1 to " + std::to_string(kMaxUsageNameLength) + " characters long",
        field);
  }
}

void postUsage(ApiContext& api, ApiCall& call) {
  auto body = readJsonObject(call.request, api.maxBody, {"commands", "metrics", "workers"});
  // Everything is checked before anything is counted: a 400 counts nothing.
  std::vector<std::pair<std::string, std::uint64_t>> commands;
  std::vector<std::pair<Metric, std::uint64_t>> metrics;
  std::vector<std::string> workers;
  if (auto object = objectField(body, "commands")) {
    for (const auto& [name, value] : *object) {
      checkName(name, "commands." + name);
      commands.emplace_back(name, countOf(value, "commands." + name));
    }
  }
  if (auto object = objectField(body, "metrics")) {
    for (const auto& [name, value] : *object) {
      const std::string field = "metrics." + name;
      const auto metric = metricFromName(name);
      if (!metric || *metric == Metric::uniqueTaskWorkers) {
        throw ApiError(400,
                       "unknown metric '" + name +
                           "': counted metrics are root-process-instance-start, "
                           "activity-instance-start, executed-decision-instances, "
                           "executed-decision-elements (task workers go in 'workers')",
                       field);
      }
      metrics.emplace_back(*metric, countOf(value, field));
    }
  }
  if (body->has("workers")) {
    auto list = body->getArray("workers");
    if (!list) throw ApiError(400, "'workers' must be a list of worker ids", "workers");
    for (std::size_t i = 0; i < list->size(); ++i) {
      const std::string field = "workers[" + std::to_string(i) + "]";
      auto id = list->get(static_cast<unsigned>(i));
      if (!id.isString()) throw ApiError(400, "'" + field + "' must be a string", field);
      workers.push_back(id.extract<std::string>());
      checkName(workers.back(), field);
    }
  }
  UsageRegistry& usage = api.host.usage();
  for (const auto& [name, n] : commands) usage.command(name, n);
  for (const auto& [metric, n] : metrics) usage.metric(metric, n);
  for (const auto& id : workers) usage.worker(id);
  sendNoContent(call.response);
}

void getAdminPage(ApiContext&, ApiCall& call) {
  sendBody(call.response, 200, "text/html; charset=utf-8", std::string(kAdminHtml));
}

void getAdminScript(ApiContext&, ApiCall& call) {
  sendBody(call.response, 200, "text/javascript; charset=utf-8", std::string(kAdminScript));
}

constexpr std::array kRoutes{
    Route{"GET", "/telemetry/configuration", Access::anyUser, getConfiguration},
    Route{"POST", "/telemetry/configuration", Access::admin, postConfiguration},
    Route{"POST", "/telemetry/deletion-request", Access::admin, postDeletionRequest},
    Route{"GET", "/telemetry/data", Access::anyUser, getData},
    Route{"GET", "/telemetry/data/explained", Access::anyUser, getExplainedData},
    Route{"GET", "/telemetry/status", Access::anyUser, getStatus},
    Route{"PUT", "/telemetry/license-key", Access::admin, putLicenseKey},
    Route{"DELETE", "/telemetry/license-key", Access::admin, deleteLicenseKey},
    Route{"POST", "/telemetry/usage", Access::usage, postUsage},
    Route{"GET", "/admin", Access::admin, getAdminPage},
    Route{"GET", "/admin/admin.js", Access::admin, getAdminScript},
};

}  // namespace

std::span<const Route> apiRoutes() { return kRoutes; }

}  // namespace telemetry::api
