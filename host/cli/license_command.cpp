#include <fstream>
#include <iostream>
#include <iterator>

#include "commands.hpp"
#include "exit_code.hpp"
#include "state/state_store.hpp"

namespace telemetry::cli {

int runLicense(const Config& config, const LicenseOptions& options) {
  // Clearing never creates a store: where none exists, no key is stored either.
  StateStore state(config.state.path, config.telemetry.initialize, config.usage.exactTaskWorkers,
                   options.clear ? StoreOpening::inMemoryIfMissing : StoreOpening::createIfMissing);
  if (options.clear) {
    if (!state.licenseKey()) {
      std::cout << "no license key is stored; nothing to remove\n";
      return kSuccess;
    }
    state.clearLicenseKey();
    std::cout << "license key removed; reports no longer contain it\n";
    return kSuccess;
  }
  std::string raw;
  if (options.file == "-") {
    raw.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(options.file, std::ios::binary);
    if (!in) {
      std::cerr << "telemetry: cannot read license key file '" << options.file << "'\n";
      return kUsageError;
    }
    raw.assign(std::istreambuf_iterator<char>(in), {});
  }
  while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.pop_back();
  if (raw.empty()) {
    std::cerr << "telemetry: the license key is empty; use 'telemetry license clear' to "
                 "remove it\n";
    return kUsageError;
  }
  // The one way a key is stored, as through the REST API: the store drops the signature and
  // keeps a key set through the admin page structured when it is set again unchanged.
  LicenseKeySource source = state.setLicenseKey(raw, LicenseKeySource::management);
  std::cout << "license key stored (" << raw.size() << " bytes, its signature is not stored); ";
  if (source == LicenseKeySource::adminWebapp) {
    std::cout << "the same key was set through the admin page or REST API, so reports carry it "
                 "structured\n";
  } else {
    std::cout << "reports carry it as raw text (a key set through the admin page or REST API "
                 "is also reported structured)\n";
  }
  return kSuccess;
}

}  // namespace telemetry::cli
