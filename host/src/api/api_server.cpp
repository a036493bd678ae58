#include "api/api_server.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include "api/api_context.hpp"
#include "api/api_request_handler.hpp"
#include "config/logging.hpp"
#include "telemetry/config_error.hpp"
#include "telemetry/http/http_server.hpp"
#include "telemetry/http/server_tls.hpp"

namespace telemetry {

struct ApiServer::State {
  State(Host& host, const ApiConfig& apiConfig, const ApiServerOptions& options)
      : config(apiConfig),
        users(config.usersFile),
        throttle(api::LoginThrottleLimits{.firstLockout = options.firstLoginLockout}),
        context{host, config, users, throttle, options.maxBody, {}} {}

  const ApiConfig config;
  api::UserDirectory users;
  api::LoginThrottle throttle;
  api::ApiContext context;
  std::unique_ptr<http::HttpServer> server;
  std::string url;
  std::uint16_t port = 0;
  bool running = false;
};

namespace {

/// `source`: the configuration file, so a problem found only now still reads `file:line`.
Poco::Net::ServerSocket bind(const ApiConfig& config, const std::filesystem::path& source) {
  Poco::Net::Context::Ptr tls;
  if (!config.tlsCert.empty()) {
    try {
      tls = http::makeServerTlsContext(config.tlsCert, config.tlsKey);
    } catch (const std::invalid_argument& e) {
      throw ConfigError(source, config.tlsCertLine,
                        std::string("api.tls-cert/api.tls-key: ") + e.what());
    } catch (const Poco::Exception& e) {
      throw ConfigError(source, config.tlsCertLine, "api.tls-cert/api.tls-key: " + e.displayText());
    }
  }
  try {
    const Poco::Net::SocketAddress address(config.listen);
    Poco::Net::ServerSocket socket =
        tls ? Poco::Net::SecureServerSocket(tls) : Poco::Net::ServerSocket();
    // No SO_REUSEPORT: a second daemon on the same port must fail, not share it silently.
    socket.bind(address, true, false);
    socket.listen(128);
    return socket;
  } catch (const Poco::Exception& e) {
    throw ConfigError(source, config.listenLine,
                      "api.listen '" + config.listen + "': cannot listen: " + e.displayText());
  }
}

}  // namespace

ApiServer::ApiServer(Host& host, const ApiConfig& config, ApiServerOptions options)
    : state_(std::make_unique<State>(host, config, options)) {
  Poco::Net::ServerSocket socket = bind(state_->config, host.config().source);
  state_->port = socket.address().port();
  const std::string scheme = state_->config.tlsCert.empty() ? "http" : "https";
  state_->url = scheme + "://" + socket.address().toString();

  http::HttpServerLimits limits;
  limits.connections = options.maxConnections;
  limits.queued = options.maxQueued;
  limits.workers = options.maxThreads;
  limits.requestDeadline = options.requestDeadline;
  limits.ioTimeout = options.ioTimeout;
  limits.maxBody = options.maxBody;
  limits.serverName = "telemetry";
  state_->server = std::make_unique<http::HttpServer>(
      new api::ApiRequestHandlerFactory(state_->context), socket, limits);
}

ApiServer::~ApiServer() { stop(); }

void ApiServer::start() {
  state_->server->start();
  state_->running = true;
  logger()->info("REST API listening on {} (admin page: {}/admin)", state_->url, state_->url);
}

void ApiServer::stop() noexcept {
  if (!state_->running) return;
  state_->running = false;
  try {
    state_->server->stopAll(false);
    // Requests in flight use the host; let them finish before it goes away, then cut off
    // what still hangs (a stalled client) so stopping never waits for long.
    for (int i = 0; i < 100 && state_->server->currentConnections() > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    state_->server->stopAll(true);
  } catch (const std::exception& e) {
    logger()->error("stopping the REST API: {}", e.what());
  }
}

std::uint16_t ApiServer::port() const { return state_->port; }

std::string ApiServer::url() const { return state_->url; }

}  // namespace telemetry
