// Fuzz target: a plugin description as a telemetry-probe child answers it or the
// descriptor cache keeps it (plugin code or anyone who can edit the cache wrote it), read
// as ChildDescriptorReader reads it: escaped NUL refused, Poco's parser, descriptionFromJson.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "plugins/descriptors/plugin_description.hpp"
#include "plugins/documented_field.hpp"
#include "report/utf8_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (telemetry::firstEscapedNul(text)) return 0;
  Poco::JSON::Object::Ptr json;
  try {
    json = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return 0;
  } catch (const std::exception&) {
    return 0;
  }
  if (!json) return 0;
  telemetry::PluginInfo info;
  try {
    telemetry::descriptionFromJson(*json, info);
  } catch (const std::runtime_error&) {
    return 0;
  }
  // What was taken keeps the rules, and reads back the same from what the host writes.
  telemetry::checkFieldDocs(info.fields);
  std::ostringstream written;
  telemetry::descriptionToJson(info)->stringify(written);
  auto again = Poco::JSON::Parser().parse(written.str()).extract<Poco::JSON::Object::Ptr>();
  telemetry::PluginInfo reread;
  telemetry::descriptionFromJson(*again, reread);
  if (reread.fields != info.fields || reread.state != info.state || reread.name != info.name) {
    std::abort();
  }
  return 0;
}
