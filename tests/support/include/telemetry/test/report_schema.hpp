// Checks a report against config/report.schema.json the same way in every test: with an
// independent validator (python3-jsonschema), not the collector's own.
#pragma once

#include <filesystem>
#include <string>

#include "telemetry/test/subprocess.hpp"

namespace telemetry::test {

/// "valid\n", or the validator's complaints, one per line. `kind` is "full" or "initial".
inline std::string validateReport(const std::string& report, const std::string& kind) {
  Outcome r = runProgram("/usr/bin/python3",
                         {TELEMETRY_TEST_REPORT_VALIDATOR, TELEMETRY_TEST_REPORT_SCHEMA, kind},
                         std::filesystem::temp_directory_path(), report);
  return r.out + r.err;
}

}  // namespace telemetry::test
