// The plugin tests' name for the shared test directory (tests/support).
#pragma once

#include "telemetry/test/temp_directory.hpp"

namespace telemetry::plugins::testing {

using TempDir = telemetry::test::TempDirectory;

}  // namespace telemetry::plugins::testing
