// Runs probes on threads of the host's own process, all at once. A probe that overruns its
// deadline is abandoned (its thread runs on, detached); a probe that crashes takes the
// process with it, which is why process isolation is the default.
#pragma once

#include "probes/probe_runner.hpp"

namespace telemetry {

class InProcessProbeRunner final : public ProbeRunner {
 public:
  std::vector<ProbeOutcome> run(const std::vector<ProbeTask>& tasks) override;
};

}  // namespace telemetry
