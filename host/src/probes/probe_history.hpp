// The last outcome of each probe, kept across runs in a small JSON file beside the state
// store, so `telemetry plugins` can say how each probe did the last time it ran.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "probes/probe_runner.hpp"
#include "telemetry/config.hpp"

namespace telemetry {

class ProbeHistory {
 public:
  struct Entry {
    std::string outcome;  ///< "ok", or the status and reason, e.g. "timed out: no answer ..."
    std::int64_t durationMs = 0;
    std::string at;  ///< when it ended, UTC, e.g. "2024-05-01T12:00:00Z"
  };

  explicit ProbeHistory(std::filesystem::path file) : file_(std::move(file)) {}

  /// `<state.path>.probes.json`, or `telemetry-probes.json` in the working directory when
  /// the state store is a database URL.
  static std::filesystem::path locationFor(const StateConfig& state);

  /// What one outcome says in the history: "ok" only if the report can use its value.
  static std::string describe(const ProbeOutcome& outcome);

  /// Merges these outcomes into the file, replacing it atomically. Never throws: a file
  /// that cannot be written is logged and skipped. Concurrent writers may lose an update.
  void record(const std::vector<ProbeOutcome>& outcomes) noexcept;

  /// Entries by plugin name; empty when the file is missing or unreadable.
  std::map<std::string, Entry> read() const;

  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
};

}  // namespace telemetry
