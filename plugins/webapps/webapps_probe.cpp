// The webapps probe: the array of Camunda web applications in use.
#include <telemetry/plugin/plugin.hpp>

#include <algorithm>
#include <sstream>
#include <system_error>

#include <Poco/JSON/Array.h>

#include "deployed_webapps.hpp"
#include "telemetry/plugin/suggest.hpp"
#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/deadline.hpp"
#include "telemetry/plugins/settings.hpp"

namespace telemetry::plugins::webapps {

class WebappsProbe final : public plugin::Probe {
 public:
  static constexpr plugin::FieldDoc kFields[] = {
      {"", "The Camunda web applications deployed with the product, by name.",
       "To know which web applications are used, so that work goes where it matters."},
      {"/*", "One deployed web application: cockpit, admin, tasklist or welcome.",
       "To know which web applications are used, so that work goes where it matters."},
  };

  plugin::Result collect(const plugin::Context& context) override {
    return collectGuarded([&] {
      Settings settings("webapps", context.settings(), {"deployments", "list"});
      if (!settings.has("deployments") && !settings.has("list")) {
        return plugin::Result::notApplicable("neither deployments nor list configured");
      }
      std::set<std::string> found;
      for (const std::string& name : settings.strings("list")) {
        if (std::find(kWebappNames.begin(), kWebappNames.end(), name) == kWebappNames.end()) {
          return plugin::Result::error("plugin 'webapps': setting 'list': unknown webapp '" + name +
                                       "'" + plugin::didYouMean(name, kWebappNames));
        }
        found.insert(name);
      }
      for (const std::string& directory : settings.strings("deployments")) {
        std::error_code ec;
        if (!std::filesystem::is_directory(directory, ec)) {
          return plugin::Result::error("deployment directory '" + directory + "' does not exist");
        }
        checkDeadline(context, "scanning '" + directory + "'");
        scanDeployments(directory, found);
      }
      Poco::JSON::Array array;
      for (std::string_view name : kWebappNames) {
        if (found.contains(std::string(name))) array.add(std::string(name));
      }
      std::ostringstream json;
      array.stringify(json);
      return plugin::Result::value(json.str());
    });
  }
};

}  // namespace telemetry::plugins::webapps

TELEMETRY_PLUGIN(telemetry::plugins::webapps::WebappsProbe, "webapps", "1.0.0",
                 "/product/internals/webapps",
                 "Camunda web applications (cockpit, admin, tasklist, welcome) deployed")
