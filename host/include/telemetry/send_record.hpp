// How the last delivery attempt of a report ended, as the state store keeps it and
// `Host::status()` shows it.
#pragma once

#include <chrono>
#include <string>

namespace telemetry {

/// How the last delivery attempt of a report ended.
struct SendRecord {
  using TimePoint = std::chrono::system_clock::time_point;
  TimePoint at{};      ///< epoch when nothing was ever sent
  std::string kind;    ///< "initial" or "full"
  int httpStatus = 0;  ///< 0 when no answer arrived
  std::string error;   ///< empty on success
  bool delivered() const { return error.empty() && httpStatus >= 200 && httpStatus < 300; }
};

}  // namespace telemetry
