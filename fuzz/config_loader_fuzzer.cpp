// Fuzz target: telemetry.yaml text through parseConfig(). A ConfigError (file:line: what)
// is the expected answer to bad input; any other exception, crash or sanitizer report is a
// finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "telemetry/config_error.hpp"
#include "telemetry/config_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string yaml(reinterpret_cast<const char*>(data), size);
  try {
    telemetry::parseConfig(yaml, "/fuzz/telemetry.yaml");
  } catch (const telemetry::ConfigError&) {
  }
  return 0;
}
