#include "DashboardHandler.hpp"

#include <Poco/Net/HTTPServerResponse.h>

#include "DashboardPage.hpp"
#include "ResponseWriter.hpp"

namespace telemetry::collector {

void DashboardHandler::handleRequest(Poco::Net::HTTPServerRequest&,
                                     Poco::Net::HTTPServerResponse& response) {
  // The page embeds strings senders chose; the policy forbids anything but our inline CSS.
  response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  ResponseWriter::send(context_.metrics, response, 200, "text/html; charset=utf-8",
                       DashboardPage::render(context_.store.stats()));
}

}  // namespace telemetry::collector
