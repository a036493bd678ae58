// What a plugin's descriptor may claim, checked wherever a description comes from: the
// loaded library, a telemetry-probe child's answer, or the descriptor cache.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "telemetry/plugin/abi.hpp"

namespace telemetry {

/// Why a plugin may not fill `section`, or "" when it may: it must lie under
/// /product/internals/ and not in a section the host fills itself.
std::string sectionClaimProblem(std::string_view section);

/// "1.0"
std::string abiText(plugin::AbiVersion abi);
/// The ABI version abiText() wrote, or nullopt for anything else.
std::optional<plugin::AbiVersion> parseAbiText(std::string_view text);

}  // namespace telemetry
