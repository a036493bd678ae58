// The state store's SQLite file can't be used as it is (a directory, empty, not SQLite,
// damaged, not writable). Reported like a configuration error (CLI exit 2,
// TELEMETRY_CONFIG_ERROR), as `FILE: the state store ...; what to do`.
#pragma once

#include <filesystem>
#include <string>

#include "telemetry/config_error.hpp"

namespace telemetry {

class StateStoreError : public ConfigError {
 public:
  StateStoreError(const std::filesystem::path& file, const std::string& message)
      : ConfigError(file, 0, message) {}
};

}  // namespace telemetry
