// Process isolation's DescriptorReader: each plugin file is loaded by a telemetry-probe
// child (--describe) under the limits and deadline of a probe run, never by the host, and
// what it said is kept in the DescriptorCache.
#pragma once

#include <filesystem>
#include <optional>

#include "plugins/descriptors/descriptor_reader.hpp"
#include "probes/process_probe_runner.hpp"

namespace telemetry {

class ChildDescriptorReader final : public DescriptorReader {
 public:
  /// Children as `options` says, each within `timeout`; no cache when `cacheFile` is empty.
  ChildDescriptorReader(ProcessProbeRunnerOptions options, Duration timeout,
                        std::optional<std::filesystem::path> cacheFile);

  /// Files whose identity the cache knows are not loaded again; the others are described
  /// by children in parallel, so the whole read takes at most about one timeout. A child
  /// that crashes, exits or hangs leaves its plugin refused with the reason.
  void read(std::vector<Candidate>& candidates) override;

  /// How many children the last read() started.
  std::size_t childrenStarted() const { return childrenStarted_; }

 private:
  ProcessProbeRunner runner_;
  Duration timeout_;
  std::optional<std::filesystem::path> cacheFile_;
  std::size_t childrenStarted_ = 0;
};

}  // namespace telemetry
