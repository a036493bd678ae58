// The version of a WebLogic Server installation, from the files its installer writes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace telemetry::plugins::weblogic {

/// The WebLogic Server version (e.g. "12.2.1.4.0") installed under `home`, an Oracle home
/// (12c and later), a Middleware home (10.3/11g) or the WebLogic home below either
/// (WL_HOME, `wlserver`). In this order: the `WebLogic Server` entry of the 12c inventory
/// `inventory/registry.xml`, of the 11g `registry.xml`, then `Implementation-Version` of
/// the `server/lib/weblogic.jar` manifest. nullopt when none is there; throws (naming the
/// file) when one is unreadable or not well-formed.
std::optional<std::string> readWebLogicVersion(const std::filesystem::path& home);

}  // namespace telemetry::plugins::weblogic
