#include "api/api_request_handler.hpp"

#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include "api/api_error.hpp"
#include "api/api_response.hpp"
#include "api/api_routes.hpp"
#include "config/logging.hpp"

namespace telemetry::api {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

void setSecurityHeaders(HTTPServerResponse& response) {
  // Answers carry the installation's data: never cached, never framed, scripts only our own.
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Content-Security-Policy",
               "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
               "connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
               "base-uri 'none'; form-action 'self'");
}

std::string pathOf(const HTTPServerRequest& request) {
  try {
    return Poco::URI(request.getURI()).getPath();
  } catch (const Poco::Exception&) {
    throw ApiError(400, "the request URI is malformed");
  }
}

bool allowed(const ApiContext& context, const ApiUser& user, Access access) {
  switch (access) {
    case Access::anyUser:
      return true;
    case Access::admin:
      return user.inGroup(context.config.adminGroup);
    case Access::usage:
      return user.inGroup(kUsageGroup);
  }
  return false;
}

// Closing with unread body bytes makes the kernel reset the connection, which can destroy
// the 413 still on its way; reading (and dropping) a bounded rest lets the client see it.
void discardRestOfBody(HTTPServerRequest& request) {
  constexpr std::size_t kMaxDiscarded = 8 << 20;
  try {
    std::istream& body = request.stream();
    char buffer[16384];
    for (std::size_t discarded = 0; discarded < kMaxDiscarded && body;) {
      body.read(buffer, sizeof buffer);
      discarded += static_cast<std::size_t>(body.gcount());
    }
  } catch (...) {
    // a client that stalls or vanishes: the socket timeout ends it, nothing to report
  }
}

std::string groupFor(const ApiContext& context, Access access) {
  return access == Access::usage ? std::string(kUsageGroup) : context.config.adminGroup;
}

}  // namespace

void ApiRequestHandler::handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) {
  setSecurityHeaders(response);
  std::string userName;  // known once authenticated, for the log of a refusal
  try {
    const std::string path = pathOf(request);
    std::vector<const Route*> routes;
    for (const Route& route : apiRoutes()) {
      if (route.path == path) routes.push_back(&route);
    }
    if (routes.empty()) throw ApiError(404, "no such resource: " + path);
    const ApiUser user = authenticate(request, response);
    userName = user.name;

    const Route* route = nullptr;
    std::string allow;
    for (const Route* candidate : routes) {
      if (candidate->method == request.getMethod()) route = candidate;
      allow += (allow.empty() ? "" : ", ") + std::string(candidate->method);
    }
    if (route == nullptr) {
      response.set("Allow", allow);
      throw ApiError(405, request.getMethod() + " is not supported here; use " + allow);
    }
    if (route->method != "GET") checkOrigin(request);
    if (!allowed(context_, user, route->access)) {
      throw ApiError(403, "user '" + user.name + "' is not in the group '" +
                              groupFor(context_, route->access) + "' that " +
                              std::string(route->method) + " " + path + " needs");
    }
    ApiCall call{request, response, user};
    route->endpoint(context_, call);
  } catch (const ApiError& e) {
    if (e.status() >= 500) {
      logger()->error("REST API {} {}: {}", printable(request.getMethod()),
                      printable(request.getURI()), printable(e.what()));
    } else if (e.status() == 403) {
      logger()->debug("REST API: {} {} refused (403) for '{}': {}", printable(request.getMethod()),
                      printable(request.getURI()), printable(userName), printable(e.what()));
    }
    // An error before the body was read: closing is cheaper than draining it.
    response.setKeepAlive(false);
    if (!response.sent()) sendError(response, e);
    if (e.status() == 413) discardRestOfBody(request);
  } catch (const std::exception& e) {
    logger()->error("REST API {} {} failed: {}", printable(request.getMethod()),
                    printable(request.getURI()), printable(e.what()));
    response.setKeepAlive(false);
    if (!response.sent()) sendError(response, ApiError(500, "internal error; see the host log"));
  } catch (...) {
    logger()->error("REST API {} {} failed", printable(request.getMethod()),
                    printable(request.getURI()));
    response.setKeepAlive(false);
    if (!response.sent()) sendError(response, ApiError(500, "internal error; see the host log"));
  }
}

ApiUser ApiRequestHandler::authenticate(HTTPServerRequest& request, HTTPServerResponse& response) {
  auto unauthorized = [&](const std::string& message) {
    response.set("WWW-Authenticate", R"(Basic realm="telemetry", charset="UTF-8")");
    return ApiError(401, message);
  };
  if (!request.hasCredentials()) throw unauthorized("authentication required (HTTP Basic)");
  std::string name;
  std::string password;
  try {
    Poco::Net::HTTPBasicCredentials credentials(request);
    name = credentials.getUsername();
    password = credentials.getPassword();
  } catch (const Poco::Exception&) {
    throw unauthorized("only HTTP Basic authentication is supported");
  }
  const std::string address = request.clientAddress().host().toString();
  const auto now = LoginThrottle::Clock::now();
  if (auto wait = context_.throttle.retryAfter(address, now); wait.count() > 0) {
    response.set("Retry-After", std::to_string((wait.count() + 999) / 1000));
    throw ApiError(429, "too many failed logins from this address; try again later");
  }
  auto user = context_.users.authenticate(name, password);
  if (!user) {
    context_.throttle.recordFailure(address, now);
    logger()->warn("REST API: failed login for '{}' from {}", printable(name), address);
    throw unauthorized("wrong user name or password");
  }
  return *user;
}

void ApiRequestHandler::checkOrigin(const HTTPServerRequest& request) const {
  // Browsers send Origin with every cross-site write; only the page we serve may write.
  const std::string origin = request.get("Origin", "");
  if (origin.empty()) return;
  const std::string own =
      (context_.config.tlsCert.empty() ? "http://" : "https://") + request.getHost();
  if (Poco::icompare(origin, own) != 0) {
    throw ApiError(403, "cross-origin request from " + origin + " refused");
  }
}

}  // namespace telemetry::api
