// What the telemetry-probe child does to itself after reading its request and before
// loading any plugin code: no new privileges, a subreaper for whatever the plugin starts,
// Landlock without any write access, and a seccomp filter against undeclared network,
// ptrace and leaving the process group. Only telemetry-probe links this (and libseccomp).
#pragma once

#include <string>
#include <vector>

namespace telemetry {

/// Confines the calling process and everything it will start. Returns what could not be
/// applied, e.g. "landlock: not offered by this kernel"; empty when confined fully.
std::vector<std::string> confineProbe(bool allowNetwork);

/// Kills every descendant, those that called setsid() too (this process is their
/// subreaper), and reaps them; called once the answer is sent.
void endDescendants();

}  // namespace telemetry
