// How the catalog reads the descriptors of plugin files that passed the host's own checks:
// loaded into the host (in-process isolation) or in telemetry-probe children (process).
#pragma once

#include <memory>
#include <vector>

#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_info.hpp"

namespace telemetry {

class DescriptorReader {
 public:
  /// One plugin file: its info so far (name from the file, no state yet), and what it gave.
  struct Candidate {
    PluginInfo info;
    std::shared_ptr<LoadedPlugin> plugin;  ///< set when the state becomes "loaded"
  };

  virtual ~DescriptorReader() = default;
  /// Fills each candidate's state ("loaded" or "refused: why") and what its descriptor
  /// says. Never throws for a bad plugin.
  virtual void read(std::vector<Candidate>& candidates) = 0;
};

/// Loads each file into this process (dlopen): the plugin's initialisers run in the host.
class InHostDescriptorReader final : public DescriptorReader {
 public:
  void read(std::vector<Candidate>& candidates) override;
};

}  // namespace telemetry
