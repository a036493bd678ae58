// The wall clock as the store keeps times: whole seconds since 1970 (UTC).
#pragma once

#include <chrono>
#include <cstdint>

namespace telemetry::collector {

/// Now, in whole seconds since the epoch: what `received_at` and the deletion times hold.
inline std::int64_t epochSecondsNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace telemetry::collector
