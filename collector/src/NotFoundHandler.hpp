// Any other request: 404, or 405 when the path exists for another method.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

#include "CollectorMetrics.hpp"

namespace telemetry::collector {

/// `allow` empty: 404; otherwise 405 with that Allow header.
class NotFoundHandler : public Poco::Net::HTTPRequestHandler {
 public:
  NotFoundHandler(CollectorMetrics& metrics, std::string allow)
      : metrics_(metrics), allow_(std::move(allow)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  CollectorMetrics& metrics_;
  std::string allow_;
};

}  // namespace telemetry::collector
