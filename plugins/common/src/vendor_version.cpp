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

std::string serverInfoVendor(std::string_view serverInfo) {
  auto inRun = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == ' ' || c == '\t' || c == '\n' ||
           c == '\r' || c == '\f' || c == '\v';
  };
  auto blank = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  std::size_t start = 0;
  while (start < serverInfo.size() && !inRun(serverInfo[start])) ++start;
  std::size_t end = start;
  while (end < serverInfo.size() && inRun(serverInfo[end])) ++end;
  std::string_view run = serverInfo.substr(start, end - start);
  while (!run.empty() && blank(run.front())) run.remove_prefix(1);
  while (!run.empty() && blank(run.back())) run.remove_suffix(1);
  return std::string(run);
}

}  // namespace telemetry::plugins
