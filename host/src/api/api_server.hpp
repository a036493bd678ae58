// The host's REST API and admin page (CONTRACT.md "Host REST API"): HTTP, or HTTPS when
// api.tls-cert and api.tls-key are set, on api.listen, with HTTP Basic users from
// api.users-file.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "telemetry/config.hpp"

namespace telemetry {

class Host;

/// Limits; the defaults are the production values.
struct ApiServerOptions {
  int maxThreads = 8;        ///< requests served at once, once they have arrived in full
  int maxConnections = 128;  ///< connections read at once (a thread each); more wait queued
  int maxQueued = 256;       ///< connections waiting beyond that are refused
  std::chrono::seconds ioTimeout{10};  ///< a client that stalls longer is dropped
  /// A request's head and body must arrive within this (a client dripping bytes is cut off).
  std::chrono::milliseconds requestDeadline{std::chrono::seconds(10)};
  std::size_t maxBody = 1 << 20;  ///< larger request bodies get 413
  /// How long an address must wait after five failed logins; doubles with each further one.
  std::chrono::milliseconds firstLoginLockout{1000};
};

class ApiServer {
 public:
  /// Binds api.listen (port 0 picks a free one) and reads the users file. Throws ConfigError
  /// for a bad users file or TLS files, Poco::Net exceptions when the address can't be bound.
  ApiServer(Host& host, const ApiConfig& config, ApiServerOptions options = {});
  /// Calls stop().
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  void start();
  /// Stops accepting and waits (a few seconds at most) for requests in flight. Never throws.
  void stop() noexcept;

  std::uint16_t port() const;
  /// e.g. "http://127.0.0.1:8085"
  std::string url() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace telemetry
