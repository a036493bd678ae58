// The CLI's exit codes, as CONTRACT.md fixes them for scripts.
#pragma once

namespace telemetry::cli {

enum ExitCode : int {
  kSuccess = 0,
  kInternalError = 1,
  kUsageError = 2,  ///< bad arguments or configuration
  kSendFailed = 3,
  kSendNotAllowed = 4,
};

}  // namespace telemetry::cli
