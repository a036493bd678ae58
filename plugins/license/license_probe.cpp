// The license probe: the license-key section from the key the host has stored.
#include <telemetry/plugin/plugin.hpp>

#include "license_key.hpp"
#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/settings.hpp"

namespace telemetry::plugins::license {

class LicenseProbe final : public plugin::Probe {
 public:
  static constexpr plugin::FieldDoc kFields[] = {
      {"",
       "The license key stored with telemetry license set or the admin page; never its "
       "signature.",
       "To relate usage to the licenses in use, as the specification's license key data."},
      {"/customer",
       "The customer the key is issued to (structured only when set through the "
       "admin page).",
       "To relate usage to customers under license."},
      {"/type", "The key's format: UNIFIED.", "To read the other members right."},
      {"/valid-until", "The key's expiry date (YYYY-MM-DD), absent for a key that never expires.",
       "To know when licenses in use expire."},
      {"/unlimited", "Whether the key never expires.", "To know when licenses in use expire."},
      {"/features", "The features the key enables, by name.",
       "To know which licensed features are in use."},
      {"/features/*", "One feature the key enables: \"true\".",
       "To know which licensed features are in use."},
      {"/raw",
       "The key's text without its signature (the only member unless the key was set "
       "through the admin page).",
       "As the specification sends it: the license data for keys not set through the admin "
       "page."},
  };

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
