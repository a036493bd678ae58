// The one interface a probe implements.
#pragma once

#include "telemetry/plugin/context.hpp"
#include "telemetry/plugin/result.hpp"

namespace telemetry::plugin {

/// A probe fills one section of the report. The host creates it once per plugin load and
/// may call collect() several times; collect() may throw, the export wrapper turns any
/// exception into Result::error so nothing crosses into the host.
class Probe {
 public:
  virtual ~Probe() = default;
  virtual Result collect(const Context& context) = 0;
};

}  // namespace telemetry::plugin
