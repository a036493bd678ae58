// The {"vendor", "version"} object of the database and application-server sections.
#pragma once

#include <string>

namespace telemetry::plugins {

struct VendorVersion {
  std::string vendor;
  std::string version;

  /// {"vendor": ..., "version": ...} in that key order, as in the report specification.
  std::string toJson() const;
};

}  // namespace telemetry::plugins
