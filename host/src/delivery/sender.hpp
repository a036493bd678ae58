// Delivers one report to the endpoint over HTTPS: certificate checks, proxy, timeouts,
// retries with backoff and jitter, Retry-After. It never decides whether to send.
#pragma once

#include <chrono>
#include <optional>
#include <stop_token>
#include <string>

#include "telemetry/config.hpp"
#include "telemetry/host_options.hpp"

namespace telemetry {

/// How one delivery ended. `delivered` is true exactly when the last answer was a 2xx.
struct Delivery {
  bool delivered = false;
  int httpStatus = 0;  ///< status of the last answer; 0 when none arrived
  std::string error;   ///< why it failed ("timeout", "TLS: ...", "HTTP 500", ...); empty on success
  int attempts = 0;
  /// Not sent at all (0 attempts): telemetry was disabled by the time the report was built,
  /// or the state store holds no valid installation id (`error` says which).
  bool withheld = false;
  /// The last attempt's body was the report gzip-compressed (`telemetry.compress`), of
  /// `wireBytes` bytes; empty when it was the JSON itself.
  std::string contentEncoding;
  std::size_t wireBytes = 0;
  /// The collector refused it for good (a 4xx other than 408 and 429): sending the same
  /// report again soon would be refused again. `error` carries the collector's reason.
  bool refused = false;
};

class Sender {
 public:
  using Clock = std::chrono::steady_clock;

  /// Takes endpoint, ca-file, request-timeout, request-retries and proxy from `config`.
  /// Throws std::invalid_argument for an endpoint that is not https:// (plain http:// is
  /// allowed only to a loopback host) and for a `proxy` that is not http://host:port.
  explicit Sender(const TelemetryConfig& config, SenderOptions options = {});

  /// POSTs `json` with Content-Type application/json, User-Agent telemetry/VERSION and
  /// `Idempotency-Key: idempotencyKey` (the same on every retry); gzip-compressed with
  /// Content-Encoding: gzip when `compress` is set, and sent again at once uncompressed
  /// when the collector answers that with 400 or 415 (it does not read gzip). Tries once plus
  /// `request-retries` times (or `retries` when given). Stops retrying as soon as `stop`
  /// is requested, and starts no attempt at or after `deadline`; no attempt runs past it.
  /// Retries connection errors, timeouts, 408, 429 and 5xx, waiting as Retry-After says on
  /// 429/503. Never throws: every failure is described in the result.
  Delivery send(const std::string& json, const std::string& idempotencyKey,
                std::stop_token stop = {}, std::optional<Clock::time_point> deadline = {},
                std::optional<int> retries = {}) const;

 private:
  TelemetryConfig config_;
  SenderOptions options_;
};

}  // namespace telemetry
