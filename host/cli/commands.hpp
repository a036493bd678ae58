// One function per CLI command; each returns the process exit code and may throw
// (main translates exceptions to exit codes).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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

struct SendOptions {
  bool initial = false;
};
int runSend(const Config& config, const SendOptions& options);

/// The daemon: reporter thread until SIGTERM or SIGINT, then the final report.
/// `args`: the command line after the program name, to run again after hibernating.
int runDaemon(const Config& config, const std::vector<std::string>& args);

/// `enable` / `disable`.
int runSwitch(const Config& config, bool enable);

struct StatusOptions {
  bool json = false;
};
int runStatus(const Config& config, const StatusOptions& options);

struct LicenseOptions {
  std::string file;  ///< "-" for stdin; empty with `clear`
  bool clear = false;
};
int runLicense(const Config& config, const LicenseOptions& options);

struct UsageOptions {
  std::string kind;         ///< "command", "metric" or "worker"
  std::string name;         ///< command or metric name, or worker id
  std::string count = "1";  ///< N as given; a whole number from 1 to kMaxUsageCount
};
/// `usage command|metric|worker`: adds to the store in one transaction, so concurrent
/// invocations never lose a count.
int runUsage(const Config& config, const UsageOptions& options);

struct UserOptions {
  std::string name;
  std::vector<std::string> groups;
};
/// `user add`: adds or updates a REST API user in `api.users-file`; the password comes from
/// stdin (its first line) or, on a terminal, a prompt without echo.
int runUser(const Config& config, const UserOptions& options);

}  // namespace telemetry::cli
