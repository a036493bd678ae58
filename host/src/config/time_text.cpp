#include "config/time_text.hpp"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

namespace telemetry {

std::string timeText(std::chrono::system_clock::time_point at) {
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(at.time_since_epoch()).count();
  return Poco::DateTimeFormatter::format(Poco::Timestamp(micros), "%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace telemetry
