// The websphere probe: application-server {vendor, version = servlet server info} for
// WebSphere Application Server traditional and Liberty, the vendor as Camunda derives it.
#include <telemetry/plugin/plugin.hpp>

#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/deadline.hpp"
#include "telemetry/plugins/installation_home.hpp"
#include "telemetry/plugins/settings.hpp"
#include "telemetry/plugins/vendor_version.hpp"
#include "telemetry/plugins/vendor_version_fields.hpp"
#include "websphere_server_info.hpp"

namespace telemetry::plugins::websphere {

class WebSphereProbe final : public plugin::Probe {
 public:
  static constexpr const auto& kFields = kApplicationServerFields;

  plugin::Result collect(const plugin::Context& context) override {
    return collectGuarded([&] {
      Settings settings("websphere", context.settings(), {"home"});
      // WAS_HOME for traditional, WLP_INSTALL_DIR for Liberty.
      auto home = InstallationHome::resolve(settings, "home", "WAS_HOME");
      if (!home) home = InstallationHome::resolve(settings, "home", "WLP_INSTALL_DIR");
      if (!home) return plugin::Result::notApplicable("no WebSphere home configured");
      if (!home->exists()) return home->missing("is not a directory");
      checkDeadline(context, "reading the WebSphere product files");
      auto info = readServerInfo(home->path());
      if (!info) {
        return home->missing(
            "has no properties/version/WAS.product or lib/versions/"
            "WebSphereApplicationServer.properties / openliberty.properties");
      }
      return plugin::Result::value(VendorVersion{serverInfoVendor(*info), *info}.toJson());
    });
  }
};

}  // namespace telemetry::plugins::websphere

TELEMETRY_PLUGIN(telemetry::plugins::websphere::WebSphereProbe, "websphere", "1.0.0",
                 "/product/internals/application-server",
                 "IBM WebSphere Application Server / Liberty version from its product files")
