#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>

#include "command_registry.hpp"
#include "exit_code.hpp"
#include "state/state_store.hpp"

namespace telemetry::cli {

struct LicenseOptions {
  std::string file;  ///< "-" for stdin; empty with `clear`
  bool clear = false;
};

int runLicense(const Config& config, const LicenseOptions& options) {
  // Clearing never creates a store: where none exists, no key is stored either.
  StateStore state(config.state.path, config.telemetry.initialize, config.usage.exactTaskWorkers,
                   options.clear ? StoreOpening::inMemoryIfMissing : StoreOpening::createIfMissing);
  if (options.clear) {
    if (!state.licenseKey()) {
      std::cout << "no license key is stored; nothing to remove\n";
      return success;
    }
    state.clearLicenseKey();
    std::cout << "license key removed; reports no longer contain it\n";
    return success;
  }
  std::string raw;
  if (options.file == "-") {
    raw.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(options.file, std::ios::binary);
    if (!in) {
      std::cerr << "telemetry: cannot read license key file '" << options.file << "'\n";
      return usageError;
    }
    raw.assign(std::istreambuf_iterator<char>(in), {});
  }
  while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.pop_back();
  if (raw.empty()) {
    std::cerr << "telemetry: the license key is empty; use 'telemetry license clear' to "
                 "remove it\n";
    return usageError;
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
  return success;
}

namespace {

void setupLicense(CLI::App& app, CommandRun& chosen) {
  auto options = std::make_shared<LicenseOptions>();
  auto* license =
      app.add_subcommand("license", "store or remove the license key the report carries");
  license->footer(
      R"(Set here, the key is reported as raw text; set through the REST API or admin page,
also as structured fields. A signature=... field is never sent.
Examples:
  telemetry license set /opt/product/license.txt
  printf '%s' "$KEY" | telemetry license set -
  telemetry license clear)");
  license->require_subcommand(1);
  auto* licenseSet = license->add_subcommand("set", "store the license key read from FILE or -");
  licenseSet->add_option("FILE", options->file, "file holding the key, or - for stdin")->required();
  auto* licenseClear = license->add_subcommand("clear", "remove the stored license key");
  runWhenChosen(*licenseSet, chosen,
                [options](const Invocation& call) { return runLicense(call.config, *options); });
  runWhenChosen(*licenseClear, chosen, [options](const Invocation& call) {
    options->clear = true;
    return runLicense(call.config, *options);
  });
}

[[maybe_unused]] const bool kLicenseRegistered = registerCommand({80, setupLicense});

}  // namespace

}  // namespace telemetry::cli
