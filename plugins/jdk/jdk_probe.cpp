// Probe "jdk": the vendor and version of the Java runtime the product runs on.
#include <Poco/JSON/Object.h>

#include <sstream>

#include <telemetry/plugin/plugin.hpp>

#include "java_release.hpp"
#include "telemetry/plugins/settings.hpp"

namespace telemetry::plugins::jdk {
namespace {

class JdkProbe final : public plugin::Probe {
 public:
  static constexpr plugin::FieldDoc kFields[] = {
      {"", "The Java runtime the product runs on: version and vendor, from its release file.",
       "To know which Java versions and distributions to support and test releases on."},
      {"/version", "The runtime's version, JAVA_VERSION of its release file, e.g. 17.0.10.",
       "To know when support for an old Java version can end and a new one is needed."},
      {"/vendor", "The runtime's vendor, IMPLEMENTOR of its release file, e.g. Eclipse Adoptium.",
       "To know which Java distributions to test releases on."},
  };

  plugin::Result collect(const plugin::Context& context) override {
    Settings settings("jdk", context.settings(), {"java-home"});
    auto home = locateJavaHome(settings.string("java-home"));
    if (!home) {
      return plugin::Result::notApplicable(
          "no Java found: set java-home, JAVA_HOME, or put java on PATH");
    }
    auto release = JavaRelease::read(*home);
    if (!release) return plugin::Result::error("no readable release file in " + home->string());
    auto version = release->get("JAVA_VERSION");
    auto vendor = release->get("IMPLEMENTOR");
    if (!version || !vendor) {
      return plugin::Result::error(home->string() + "/release lacks JAVA_VERSION or IMPLEMENTOR");
    }
    Poco::JSON::Object section(Poco::JSON_PRESERVE_KEY_ORDER);
    section.set("version", *version);
    section.set("vendor", *vendor);
    std::ostringstream json;
    section.stringify(json);
    return plugin::Result::value(json.str());
  }
};

}  // namespace
}  // namespace telemetry::plugins::jdk

TELEMETRY_PLUGIN(telemetry::plugins::jdk::JdkProbe, "jdk", "1.0.0", "/product/internals/jdk",
                 "vendor and version of the Java runtime")
