// The local record of everything sent: one JSON line per delivered or attempted report,
// with the payload exactly as it went over the wire, so operators can see what left.
#pragma once

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>

#include "delivery/sender.hpp"

namespace telemetry {

class AuditLog {
 public:
  /// An empty path disables the log.
  explicit AuditLog(std::filesystem::path path);

  /// Appends `{"time", "kind", "endpoint", "idempotency-key", "status", "delivered",
  /// "attempts", "error", "report": <payload as sent>}` as one line. The file is created
  /// 0600; each line is one write(2) on an O_APPEND descriptor, so concurrent writers
  /// (the daemon and a `telemetry send`) never interleave. Throws std::system_error.
  void append(std::chrono::system_clock::time_point at, const std::string& kind,
              const std::string& endpoint, const std::string& idempotencyKey,
              const Delivery& delivery, const std::string& payload);

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::mutex mutex_;
};

}  // namespace telemetry
