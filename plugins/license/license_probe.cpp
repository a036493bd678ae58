// The license probe: the license-key section from the key the host has stored.
#include <telemetry/plugin/plugin.hpp>

#include "license_key.hpp"
#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/settings.hpp"

namespace telemetry::plugins::license {

class LicenseProbe final : public plugin::Probe {
 public:
  plugin::Result collect(const plugin::Context& context) override {
    return collectGuarded([&] {
      Settings settings("license", context.settings(), {});
      const std::string* stored = context.fact("license-key");
      if (stored == nullptr) return plugin::Result::notApplicable("no license key stored");
      LicenseKey key = LicenseKey::parse(*stored);
      if (key.raw().empty())
        return plugin::Result::notApplicable("the stored license key is empty");
      // The spec: structured metadata only for a key set through the admin web application.
      const std::string* source = context.fact("license-key-source");
      const bool structured = source != nullptr && *source == "admin-webapp";
      return plugin::Result::value(key.toJson(structured));
    });
  }
};

}  // namespace telemetry::plugins::license

TELEMETRY_PLUGIN(telemetry::plugins::license::LicenseProbe, "license", "1.0.0",
                 "/product/internals/license-key",
                 "The stored license key: customer, expiry, features; never its signature")
