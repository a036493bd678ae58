// Loads one plugin file directly with Boost.DLL and runs its probe, for plugin tests that
// should not depend on the host's catalog.
#pragma once

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

#include <boost/dll/shared_library.hpp>

#include "telemetry/plugin/plugin.hpp"

namespace telemetry::test {

class PluginHarness {
 public:
  explicit PluginHarness(const std::filesystem::path& file)
      : library_(file, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local),
        descriptor_(library_.get_alias<const plugin::Descriptor>(plugin::kDescriptorSymbol)) {}

  const plugin::Descriptor& descriptor() const { return descriptor_; }

  /// Creates the probe, collects once with `settings` and optional host facts, destroys it.
  plugin::Result collect(const std::string& settings = "{}", plugin::Context::Facts facts = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) const {
    std::string error;
    plugin::Probe* probe = descriptor_.create(error);
    if (probe == nullptr) return plugin::Result::error(error);
    plugin::Context context(settings, plugin::Context::Clock::now() + timeout, {},
                            std::move(facts));
    plugin::Result result = descriptor_.collect(probe, context);
    descriptor_.destroy(probe);
    return result;
  }

 private:
  boost::dll::shared_library library_;
  const plugin::Descriptor& descriptor_;
};

}  // namespace telemetry::test
