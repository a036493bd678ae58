// One function per CLI command; each returns the process exit code and may throw
// (main translates exceptions to exit codes).
#pragma once

#include "telemetry/config.hpp"

namespace telemetry::cli {

struct ReportOptions {
  bool initial = false;
};
int runReport(const Config& config, const ReportOptions& options);

struct PluginsOptions {
  bool json = false;
};
int runPlugins(const Config& config, const PluginsOptions& options);

}  // namespace telemetry::cli
