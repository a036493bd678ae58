// The integrations probe: the array of Camunda integrations found on disk.
#include <telemetry/plugin/plugin.hpp>

#include <sstream>
#include <system_error>

#include <Poco/JSON/Array.h>

#include "integration_detectors.hpp"
#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/deadline.hpp"
#include "telemetry/plugins/settings.hpp"

namespace telemetry::plugins::integrations {
namespace {

void requireExists(const std::string& path, const char* setting) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw std::runtime_error("setting '" + std::string(setting) + "': '" + path +
                             "' does not exist");
  }
}

}  // namespace

class IntegrationsProbe final : public plugin::Probe {
 public:
  static constexpr plugin::FieldDoc kFields[] = {
      {"", "The Camunda integrations the product is deployed with.",
       "To know how the product is embedded and run, so these integrations get the work they "
       "need."},
      {"/*",
       "One integration: spring-boot-starter, camunda-bpm-run, wildfly-integration or "
       "camunda-ejb-service.",
       "To know how the product is embedded and run, so these integrations get the work they "
       "need."},
  };

  plugin::Result collect(const plugin::Context& context) override {
    return collectGuarded([&] {
      Settings settings("integrations", context.settings(), {"apps", "jboss-home", "deployments"});
      if (!settings.has("apps") && !settings.has("jboss-home") && !settings.has("deployments")) {
        return plugin::Result::notApplicable("no apps, jboss-home or deployments configured");
      }
      std::set<std::string> found;
      for (const std::string& app : settings.strings("apps")) {
        requireExists(app, "apps");
        checkDeadline(context, "inspecting '" + app + "'");
        inspectApplication(app, found);
      }
      if (auto home = settings.string("jboss-home"); home && !home->empty()) {
        requireExists(*home, "jboss-home");
        inspectJBossHome(*home, found);
      }
      for (const std::string& directory : settings.strings("deployments")) {
        requireExists(directory, "deployments");
        checkDeadline(context, "scanning '" + directory + "'");
        inspectDeployments(directory, found);
      }
      Poco::JSON::Array array;
      for (std::string_view name : kIntegrationNames) {
        if (found.contains(std::string(name))) array.add(std::string(name));
      }
      std::ostringstream json;
      array.stringify(json);
      return plugin::Result::value(json.str());
    });
  }
};

}  // namespace telemetry::plugins::integrations

TELEMETRY_PLUGIN(telemetry::plugins::integrations::IntegrationsProbe, "integrations", "1.0.0",
                 "/product/internals/camunda-integration",
                 "Camunda integrations: Spring Boot starter, Run, WildFly subsystem, EJB service")
