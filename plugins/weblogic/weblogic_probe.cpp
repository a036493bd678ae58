// The weblogic probe: application-server {vendor "WebLogic Server", version "WebLogic Server
// <version>"}, as Camunda reports WebLogic's servlet server info.
#include <telemetry/plugin/plugin.hpp>

#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/deadline.hpp"
#include "telemetry/plugins/installation_home.hpp"
#include "telemetry/plugins/settings.hpp"
#include "telemetry/plugins/vendor_version.hpp"
#include "telemetry/plugins/vendor_version_fields.hpp"
#include "weblogic_version.hpp"

namespace telemetry::plugins::weblogic {

class WebLogicProbe final : public plugin::Probe {
 public:
  static constexpr const auto& kFields = kApplicationServerFields;

  plugin::Result collect(const plugin::Context& context) override {
    return collectGuarded([&] {
      Settings settings("weblogic", context.settings(), {"home"});
      auto home = InstallationHome::resolve(settings, "home", "WL_HOME");
      if (!home) return plugin::Result::notApplicable("no WebLogic home configured");
      if (!home->exists()) return home->missing("is not a directory");
      checkDeadline(context, "reading the WebLogic registry");
      auto version = readWebLogicVersion(home->path());
      if (!version) {
        return home->missing(
            "has no inventory/registry.xml, registry.xml or server/lib/weblogic.jar naming a "
            "WebLogic Server version");
      }
      // WebLogic's getServerInfo() starts so; the build date and number it appends at run
      // time are in no installed file.
      std::string info = "WebLogic Server " + *version;
      return plugin::Result::value(VendorVersion{serverInfoVendor(info), info}.toJson());
    });
  }
};

}  // namespace telemetry::plugins::weblogic

TELEMETRY_PLUGIN(telemetry::plugins::weblogic::WebLogicProbe, "weblogic", "1.0.0",
                 "/product/internals/application-server",
                 "Oracle WebLogic Server version from its inventory or weblogic.jar")
