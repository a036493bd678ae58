// The confinement mechanisms this kernel offers a probe's child, probed once per process.
#pragma once

#include <string>
#include <vector>

namespace telemetry {

struct SandboxSupport {
  /// Landlock ABI version (1 on Linux 5.13, 3 on Debian 12's 6.1); 0 when there is none.
  int landlockAbi = 0;
  /// seccomp filters that return an errno (Linux 3.5+ built with CONFIG_SECCOMP_FILTER).
  bool seccomp = false;

  /// What a child cannot get here, e.g. "landlock (writes stay allowed)"; empty = all.
  std::vector<std::string> gaps() const;
};

/// This kernel's mechanisms, looked at on the first call.
const SandboxSupport& sandboxSupport();

/// Logs the gaps of sandboxSupport() as a warning, once per process.
void logSandboxGapsOnce();

}  // namespace telemetry
