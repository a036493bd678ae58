// Sends a complete response and counts it, so every handler's answer shows in /metrics.
#pragma once

#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>

#include "CollectorMetrics.hpp"

namespace telemetry::collector {

/// Writes status, headers and body in one go.
class ResponseWriter {
 public:
  static void send(CollectorMetrics& metrics, Poco::Net::HTTPServerResponse& response, int status,
                   const std::string& contentType, const std::string& body);
  /// A JSON body {"error": message}, plus {"field": pointer} when a field is to blame.
  static void sendError(CollectorMetrics& metrics, Poco::Net::HTTPServerResponse& response,
                        int status, const std::string& message,
                        const std::optional<std::string>& field = std::nullopt);
};

}  // namespace telemetry::collector
