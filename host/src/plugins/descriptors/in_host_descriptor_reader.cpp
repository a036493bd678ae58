#include "plugins/descriptors/descriptor_reader.hpp"

#include "plugins/plugin_catalog.hpp"

namespace telemetry {

void InHostDescriptorReader::read(std::vector<Candidate>& candidates) {
  for (Candidate& candidate : candidates) PluginCatalog::load(candidate.info, candidate.plugin);
}

}  // namespace telemetry
