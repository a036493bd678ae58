// The {"vendor", "version"} object of the database and application-server sections.
#pragma once

#include <string>
#include <string_view>

namespace telemetry::plugins {

struct VendorVersion {
  std::string vendor;
  std::string version;

  /// {"vendor": ..., "version": ...} in that key order, as in the report specification.
  std::string toJson() const;
};

/// The vendor Camunda derives from a servlet container's server info
/// (ParseUtil.parseServerVendor): its first run of ASCII letters and whitespace, trimmed.
/// "Apache Tomcat/9.0.50" gives "Apache Tomcat", "JBoss EAP 7.2.0.GA (...)" "JBoss EAP",
/// "WebLogic Server 12.2.1.4.0 ..." "WebLogic Server".
std::string serverInfoVendor(std::string_view serverInfo);

}  // namespace telemetry::plugins
