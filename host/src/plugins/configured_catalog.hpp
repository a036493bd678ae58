// The plugin catalog as the configuration asks for it: in process isolation the host reads
// descriptors in telemetry-probe children (cached beside the state store) and loads no
// plugin itself; in-process it loads every plugin file (unconfined).
#pragma once

#include "plugins/plugin_catalog.hpp"
#include "probes/process_probe_runner.hpp"
#include "telemetry/config.hpp"

namespace telemetry {

/// The catalog of `config`'s plugin directories and enabled plugins.
PluginCatalog configuredCatalog(const Config& config);

/// What plugins.* says about the telemetry-probe children (helper, allow-unsafe).
ProcessProbeRunnerOptions probeChildOptions(const PluginsConfig& plugins);

}  // namespace telemetry
