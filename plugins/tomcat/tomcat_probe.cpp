// The tomcat probe: application-server {vendor "Apache Tomcat", version = server info}.
#include <telemetry/plugin/plugin.hpp>

#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/deadline.hpp"
#include "telemetry/plugins/installation_home.hpp"
#include "telemetry/plugins/settings.hpp"
#include "telemetry/plugins/vendor_version.hpp"
#include "telemetry/plugins/vendor_version_fields.hpp"
#include "tomcat_server_info.hpp"

namespace telemetry::plugins::tomcat {

class TomcatProbe final : public plugin::Probe {
 public:
  static constexpr const auto& kFields = kApplicationServerFields;

  plugin::Result collect(const plugin::Context& context) override {
    return collectGuarded([&] {
      Settings settings("tomcat", context.settings(), {"home"});
      auto home = InstallationHome::resolve(settings, "home", "CATALINA_HOME");
      if (!home) return plugin::Result::notApplicable("no Tomcat home configured");
      if (!home->exists()) return home->missing("is not a directory");
      checkDeadline(context, "reading catalina.jar");
      auto info = readServerInfo(home->path());
      if (!info) return home->missing("has no lib/catalina.jar with a server.info");
      // The version is the full server info, as ServletContext.getServerInfo() gives it
      // (and as the spec's WildFly example shows), e.g. "Apache Tomcat/10.1.60".
      return plugin::Result::value(VendorVersion{"Apache Tomcat", *info}.toJson());
    });
  }
};

}  // namespace telemetry::plugins::tomcat

TELEMETRY_PLUGIN(telemetry::plugins::tomcat::TomcatProbe, "tomcat", "1.0.0",
                 "/product/internals/application-server",
                 "Apache Tomcat version from CATALINA_HOME/lib/catalina.jar")
