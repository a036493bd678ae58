// Every REST request goes through here: route by path, authenticate (HTTP Basic, throttled),
// check method, origin and group, run the endpoint, and turn any failure into a JSON error
// so nothing escapes into the server's threads.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "api/api_context.hpp"

namespace telemetry::api {

class ApiRequestHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiRequestHandler(ApiContext& context) : context_(context) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  ApiUser authenticate(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response);
  void checkOrigin(const Poco::Net::HTTPServerRequest& request) const;

  ApiContext& context_;
};

class ApiRequestHandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiRequestHandlerFactory(ApiContext& context) : context_(context) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new ApiRequestHandler(context_);
  }

 private:
  ApiContext& context_;
};

}  // namespace telemetry::api
