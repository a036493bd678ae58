// The h2 probe: database {vendor "h2", version "2.1.214 (2022-06-13)"} for an embedded H2.
#include <telemetry/plugin/plugin.hpp>

#include <system_error>

#include "h2_version.hpp"
#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/deadline.hpp"
#include "telemetry/plugins/settings.hpp"
#include "telemetry/plugins/vendor_version.hpp"
#include "telemetry/plugins/vendor_version_fields.hpp"

namespace telemetry::plugins::h2 {

class H2Probe final : public plugin::Probe {
 public:
  static constexpr const auto& kFields = kDatabaseFields;

  plugin::Result collect(const plugin::Context& context) override {
    return collectGuarded([&] {
      Settings settings("h2", context.settings(), {"jar"});
      auto jar = settings.string("jar");
      if (!jar || jar->empty()) return plugin::Result::notApplicable("no H2 jar configured");
      std::error_code ec;
      if (!std::filesystem::is_regular_file(*jar, ec)) {
        return plugin::Result::error("H2 jar '" + *jar + "' does not exist");
      }
      checkDeadline(context, "reading the H2 jar");
      auto version = readH2Version(*jar);
      if (!version) return plugin::Result::error("'" + *jar + "' declares no H2 version");
      return plugin::Result::value(VendorVersion{"h2", *version}.toJson());
    });
  }
};

}  // namespace telemetry::plugins::h2

TELEMETRY_PLUGIN(telemetry::plugins::h2::H2Probe, "h2", "1.0.0", "/product/internals/database",
                 "Embedded H2 version and build date from the configured h2.jar")
