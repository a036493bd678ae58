// Where the stored license key was set. The spec reports structured license data only for
// a key set through the admin web application; a key set any other way goes out as raw text.
#pragma once

#include <string>
#include <string_view>

namespace telemetry {

enum class LicenseKeySource {
  management,   ///< `telemetry license set` (the spec's ManagementService#setLicenseKey)
  adminWebapp,  ///< the REST API or the admin page
};

/// Also the value of the "license-key-source" fact the license plugin receives.
constexpr std::string_view toString(LicenseKeySource source) {
  return source == LicenseKeySource::adminWebapp ? "admin-webapp" : "management";
}

struct StoredLicenseKey {
  /// The key without its signature, in Camunda's layout with the signature field left
  /// empty: `;customer=...;...`.
  std::string raw;
  LicenseKeySource source = LicenseKeySource::management;
};

}  // namespace telemetry
