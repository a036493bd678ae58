// The wildfly probe: application-server {vendor "Wildfly" (or "JBoss EAP"), version = servlet
// server info}.
#include <telemetry/plugin/plugin.hpp>

#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/deadline.hpp"
#include "telemetry/plugins/installation_home.hpp"
#include "telemetry/plugins/settings.hpp"
#include "telemetry/plugins/vendor_version.hpp"
#include "telemetry/plugins/vendor_version_fields.hpp"
#include "wildfly_server_info.hpp"

namespace telemetry::plugins::wildfly {

class WildFlyProbe final : public plugin::Probe {
 public:
  static constexpr const auto& kFields = kApplicationServerFields;

  plugin::Result collect(const plugin::Context& context) override {
    return collectGuarded([&] {
      Settings settings("wildfly", context.settings(), {"home"});
      auto home = InstallationHome::resolve(settings, "home", "JBOSS_HOME");
      if (!home) return plugin::Result::notApplicable("no WildFly home configured");
      if (!home->exists()) return home->missing("is not a directory");
      checkDeadline(context, "reading the WildFly modules");
      auto info = readServerInfo(home->path());
      if (!info) return home->missing("has no org.jboss.as.version module");
      // Camunda's vendor rule (JBoss EAP stays "JBoss EAP"); WildFly spelt as in the
      // specification's example report.
      std::string vendor = serverInfoVendor(*info);
      if (vendor.find("WildFly") != std::string::npos) vendor = "Wildfly";
      return plugin::Result::value(VendorVersion{vendor, *info}.toJson());
    });
  }
};

}  // namespace telemetry::plugins::wildfly

TELEMETRY_PLUGIN(telemetry::plugins::wildfly::WildFlyProbe, "wildfly", "1.0.0",
                 "/product/internals/application-server",
                 "WildFly product, WildFly Core and Undertow versions from JBOSS_HOME")
