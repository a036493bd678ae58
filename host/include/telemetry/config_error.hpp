// A configuration problem a user can fix, located as `file:line: message` (the settings
// library's, under the name the embedding API has always used).
#pragma once

#include "telemetry/settings/config_error.hpp"

namespace telemetry {

using ConfigError = settings::ConfigError;

}  // namespace telemetry
