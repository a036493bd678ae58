// The jetty probe: application-server {vendor "Jetty", version "jetty/<version>"}.
#include <telemetry/plugin/plugin.hpp>

#include "jetty_version.hpp"
#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/deadline.hpp"
#include "telemetry/plugins/installation_home.hpp"
#include "telemetry/plugins/settings.hpp"
#include "telemetry/plugins/vendor_version.hpp"
#include "telemetry/plugins/vendor_version_fields.hpp"

namespace telemetry::plugins::jetty {

class JettyProbe final : public plugin::Probe {
 public:
  static constexpr const auto& kFields = kApplicationServerFields;

  plugin::Result collect(const plugin::Context& context) override {
    return collectGuarded([&] {
      Settings settings("jetty", context.settings(), {"home"});
      auto home = InstallationHome::resolve(settings, "home", "JETTY_HOME");
      if (!home) return plugin::Result::notApplicable("no Jetty home configured");
      if (!home->exists()) return home->missing("is not a directory");
      checkDeadline(context, "reading the Jetty server jar");
      auto version = readJettyVersion(home->path());
      if (!version) return home->missing("has no lib/jetty-server-*.jar with a version");
      // "jetty/<version>" is what Jetty's ServletContext.getServerInfo() returns.
      return plugin::Result::value(VendorVersion{"Jetty", "jetty/" + *version}.toJson());
    });
  }
};

}  // namespace telemetry::plugins::jetty

TELEMETRY_PLUGIN(telemetry::plugins::jetty::JettyProbe, "jetty", "1.0.0",
                 "/product/internals/application-server",
                 "Eclipse Jetty version from jetty.home/lib/jetty-server-*.jar")
