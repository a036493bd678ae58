// Fuzz target: the collector's IP hash key file text through IpKeyFile::parse; what it
// accepts must survive format() and parse() unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "privacy/ip_key_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using telemetry::collector::IpKeyFile;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto keys = IpKeyFile::parse(text);
    const auto again = IpKeyFile::parse(IpKeyFile::format(keys));
    if (again.size() != keys.size()) std::abort();
    for (std::size_t i = 0; i < keys.size(); ++i) {
      if (again[i].startedAt != keys[i].startedAt || again[i].retiredAt != keys[i].retiredAt ||
          again[i].secret != keys[i].secret || keys[i].secret.size() < 16) {
        std::abort();
      }
    }
  } catch (const std::invalid_argument&) {
    // The documented answer to text that is not a key file.
  }
  return 0;
}
