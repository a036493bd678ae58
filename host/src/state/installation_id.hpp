// What a valid installation id is: the random UUID v4 the state store creates, in the
// lower-case form the collector's report schema accepts.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace telemetry {

/// Why `id` is not a valid installation id (empty, not a UUID, not version 4), or
/// nullopt when it is one. Reports are sent only with a valid id.
std::optional<std::string> installationIdProblem(std::string_view id);

}  // namespace telemetry
