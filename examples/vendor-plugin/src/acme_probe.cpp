// ACME's probe: which probe version ran and on which kernel, under
// product.internals.acme. It needs nothing but the plugin API and the C library.
#include <sys/utsname.h>

#include <cstdio>
#include <string>
#include <string_view>

#include <telemetry/plugin/plugin.hpp>

namespace {

using telemetry::plugin::Context;
using telemetry::plugin::LogLevel;
using telemetry::plugin::Result;

/// `text` as a JSON string literal.
std::string jsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

class AcmeProbe final : public telemetry::plugin::Probe {
 public:
  // What each field is and why it is collected (SDK 1.2): `telemetry explain`, the admin
  // page and `telemetry explain --dictionary` show it; an entry left out shows "undocumented".
  static constexpr telemetry::plugin::FieldDoc kFields[] = {
      {"", "ACME's probe and the system it ran on.",
       "To know where ACME's license server runs, so releases are built for it."},
      {"/vendor", "Always acme.", "To tell ACME's section from others."},
      {"/probe-version", "The version of the probe that filled the section.",
       "To read the other fields as that version wrote them."},
      {"/kernel-release", "The running kernel's release (uname -r).",
       "To know which kernels ACME's license server runs on."},
      {"/machine", "The machine's hardware name (uname -m), e.g. x86_64.",
       "To know which architectures to build for."},
  };

  Result collect(const Context& context) override {
    // This probe has no settings; refusing unknown ones catches typos in telemetry.yaml.
    if (context.settings().find('"') != std::string::npos) {
      return Result::error("acme_license_server takes no settings, got " + context.settings());
    }
    utsname system{};
    if (uname(&system) != 0) return Result::error("uname failed");
    context.log(LogLevel::debug, std::string("kernel ") + system.release);
    return Result::value("{\"vendor\":\"acme\",\"probe-version\":\"1.0.0\",\"kernel-release\":" +
                         jsonString(system.release) + ",\"machine\":" + jsonString(system.machine) +
                         "}");
  }
};

}  // namespace

// It only reads, so it declares no needs: in process mode its child has no network and can
// write no file. A probe that asks a server would add telemetry::plugin::Need::network
// after the description (TelemetryPluginAPI 1.1).
TELEMETRY_PLUGIN(AcmeProbe, "acme_license_server", "1.0.0", "/product/internals/acme",
                 "ACME probe version and kernel release")
