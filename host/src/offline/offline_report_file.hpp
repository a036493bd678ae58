// The file `telemetry send --to FILE` writes for an installation without a way out: one
// line per report, each with the Idempotency-Key it would have carried, so that importing
// it on the collector (telemetry-collector import, POST /imports) deduplicates like a resend.
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "delivery/sender.hpp"

namespace telemetry {

/// The file cannot be written as asked (it exists and overwriting was not asked for).
class OfflineReportFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class OfflineReportFile {
 public:
  /// `path` "-" is standard output. Throws OfflineReportFileError when the file exists and
  /// `overwrite` is false: checked here, before anything is built or marked as sent.
  OfflineReportFile(std::filesystem::path path, bool overwrite);

  /// Adds one report and makes the file hold every report added so far: written 0600 under
  /// a temporary name in the same folder, fsynced, then renamed into place, so the file is
  /// never seen half written. `delivered` exactly when it is there; never throws.
  Delivery write(const std::string& kind, const std::string& idempotencyKey,
                 const std::string& payload);

  /// `{"kind":KIND,"idempotency-key":KEY,"report":PAYLOAD}` and a newline. `payload` is
  /// the report's compact JSON (no newline); kind and key need no escaping.
  static std::string line(const std::string& kind, const std::string& idempotencyKey,
                          const std::string& payload);

  /// "file:/absolute/path", or "stdout": the audit log's endpoint for these reports.
  std::string destination() const;
  const std::filesystem::path& path() const { return path_; }
  bool toStdout() const { return path_ == "-"; }
  std::size_t reports() const { return reports_; }

 private:
  void replaceFile();

  std::filesystem::path path_;
  bool overwrite_;
  std::string contents_;
  std::size_t reports_ = 0;
};

}  // namespace telemetry
