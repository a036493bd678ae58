// The checks a plugin file passes before the host reads or loads it, after osquery's
// safePermissions: anyone who can change the file or its directory can run code in the host.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace telemetry {

/// Why loading `file` is unsafe, or nullopt when it is not: the file (after symbolic links)
/// must be a regular file, and neither it nor its directory (nor the real file's directory)
/// may be world-writable or owned by a user other than root or the one running the host.
std::optional<std::string> whyUnsafe(const std::filesystem::path& file);

}  // namespace telemetry
