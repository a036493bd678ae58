#include "telemetry/plugins/vendor_version.hpp"

#include <sstream>

#include <Poco/JSON/Object.h>

namespace telemetry::plugins {

std::string VendorVersion::toJson() const {
  Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
  object.set("vendor", vendor);
  object.set("version", version);
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

}  // namespace telemetry::plugins
