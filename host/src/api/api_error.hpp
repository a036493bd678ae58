// An answer other than success, thrown inside a request and turned into a JSON error
// response ({"error": ..., "field": ...}) by ApiRequestHandler.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace telemetry::api {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, const std::string& message, std::optional<std::string> field = {})
      : std::runtime_error(message), status_(status), field_(std::move(field)) {}

  int status() const { return status_; }
  /// The request field to blame, e.g. "enableTelemetry" or "metrics.foo".
  const std::optional<std::string>& field() const { return field_; }

 private:
  int status_;
  std::optional<std::string> field_;
};

}  // namespace telemetry::api
