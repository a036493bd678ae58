// The CLI's exit codes, as CONTRACT.md fixes them for scripts.
#pragma once

namespace telemetry::cli {

enum ExitCode : int {
  success = 0,
  internalError = 1,
  usageError = 2,  ///< bad arguments or configuration
  sendFailed = 3,
  sendNotAllowed = 4,
};

}  // namespace telemetry::cli
