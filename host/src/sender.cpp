#include "telemetry/sender.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLException.h>
#include <Poco/NullStream.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include "telemetry/logging.hpp"
#include "telemetry/version.hpp"

namespace telemetry {
namespace {

using std::chrono::milliseconds;

bool isLoopback(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  Poco::Net::IPAddress address;
  return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

std::string environment(const char* upper, const char* lower) {
  for (const char* name : {lower, upper}) {
    const char* value = std::getenv(name);
    if (value != nullptr && *value != '\0') return value;
  }
  return {};
}

/// NO_PROXY: comma-separated host suffixes (leading dot optional) or `*`.
bool bypassesProxy(const std::string& host, const std::string& noProxy) {
  std::istringstream list(noProxy);
  std::string entry;
  while (std::getline(list, entry, ',')) {
    entry.erase(0, entry.find_first_not_of(" \t"));
    entry.erase(entry.find_last_not_of(" \t") + 1);
    if (entry.empty()) continue;
    if (entry == "*") return true;
    if (entry.front() == '.') entry.erase(0, 1);
    if (host == entry) return true;
    if (host.size() > entry.size() && host.ends_with(entry) &&
        host[host.size() - entry.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

/// The proxy to use for `endpoint`: telemetry.proxy when set, else HTTPS_PROXY unless
/// NO_PROXY exempts the host; empty for none.
std::string proxyFor(const TelemetryConfig& config, const Poco::URI& endpoint) {
  if (!config.proxy.empty()) return config.proxy;
  if (endpoint.getScheme() != "https") return {};
  std::string proxy = environment("HTTPS_PROXY", "https_proxy");
  if (proxy.empty() || bypassesProxy(endpoint.getHost(), environment("NO_PROXY", "no_proxy"))) {
    return {};
  }
  return proxy;
}

Poco::Net::Context::Ptr clientContext(const std::string& caFile) {
  Poco::Net::Context::Params params;
  // STRICT, not RELAXED: Poco skips the host name check for loopback names in RELAXED mode.
  params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  params.loadDefaultCAs = true;
  params.caLocation = caFile;
  params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4";
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                            Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
  // Per context, so an invalid certificate is refused, never asked about on a console.
  context->setInvalidCertificateHandler(new Poco::Net::RejectCertificateHandler(false));
  return context;
}

std::string seconds(milliseconds d) {
  std::ostringstream out;
  out << static_cast<double>(d.count()) / 1000.0 << " s";
  return out.str();
}

/// The wait a Retry-After header asks for (delta-seconds or an HTTP date), if it is valid.
std::optional<milliseconds> retryAfter(const Poco::Net::HTTPResponse& response) {
  if (!response.has("Retry-After")) return std::nullopt;
  const std::string value = response.get("Retry-After");
  unsigned delay = 0;
  if (Poco::NumberParser::tryParseUnsigned(value, delay)) return std::chrono::seconds(delay);
  Poco::DateTime at;
  int zone = 0;
  if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, value, at, zone)) {
    const auto wait = at.timestamp() - Poco::Timestamp();  // microseconds
    return std::chrono::duration_cast<milliseconds>(
        std::chrono::microseconds(std::max<Poco::Int64>(wait, 0)));
  }
  return std::nullopt;
}

/// One attempt's result: the status if an answer came, else the classified error.
struct Attempt {
  int status = 0;
  std::string error;
  bool retryable = true;
  std::optional<milliseconds> retryAfter;
};

std::string classify(const Poco::Exception& e, milliseconds timeout, const std::string& host) {
  if (dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr) {
    return "timeout after " + seconds(timeout);
  }
  if (dynamic_cast<const Poco::Net::HostNotFoundException*>(&e) != nullptr ||
      dynamic_cast<const Poco::Net::NoAddressFoundException*>(&e) != nullptr ||
      dynamic_cast<const Poco::Net::DNSException*>(&e) != nullptr) {
    return "DNS: host not found '" + host + "'";
  }
  if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&e) != nullptr) {
    return "connect: connection refused";
  }
  if (dynamic_cast<const Poco::Net::SSLException*>(&e) != nullptr) {
    return "TLS: " + e.displayText();
  }
  return "connection: " + e.displayText();
}

}  // namespace

Sender::Sender(const TelemetryConfig& config, SenderOptions options)
    : config_(config), options_(options) {
  const Poco::URI endpoint(config_.endpoint);
  if (endpoint.getScheme() == "http") {
    if (!isLoopback(endpoint.getHost())) {
      throw std::invalid_argument("endpoint '" + config_.endpoint +
                                  "' is plain http:// to a host that is not loopback; reports "
                                  "leave this machine only over https://");
    }
  } else if (endpoint.getScheme() != "https") {
    throw std::invalid_argument("endpoint '" + config_.endpoint + "' must be https://");
  }
}

Delivery Sender::send(const std::string& json, const std::string& idempotencyKey,
                      std::stop_token stop, std::optional<Clock::time_point> deadline,
                      std::optional<int> retries) const {
  auto log = logger("telemetry.sender");
  Delivery delivery;
  const int allowed = 1 + std::max(0, retries.value_or(config_.requestRetries));
  std::mt19937_64 random{std::random_device{}()};
  milliseconds backoff = options_.initialBackoff;
  std::mutex mutex;
  std::condition_variable_any wakeup;

  for (int attempt = 1; attempt <= allowed; ++attempt) {
    milliseconds timeout = config_.requestTimeout;
    if (deadline) {
      timeout =
          std::min(timeout, std::chrono::duration_cast<milliseconds>(*deadline - Clock::now()));
      if (timeout <= milliseconds(0)) {
        if (delivery.error.empty()) delivery.error = "no time left before the deadline";
        break;
      }
    }
    Attempt result;
    try {
      const Poco::URI endpoint(config_.endpoint);
      std::unique_ptr<Poco::Net::HTTPClientSession> session;
      if (endpoint.getScheme() == "https") {
        session = std::make_unique<Poco::Net::HTTPSClientSession>(
            endpoint.getHost(), endpoint.getPort(), clientContext(config_.caFile));
      } else {
        session =
            std::make_unique<Poco::Net::HTTPClientSession>(endpoint.getHost(), endpoint.getPort());
      }
      if (std::string proxy = proxyFor(config_, endpoint); !proxy.empty()) {
        const Poco::URI proxyUri(proxy);
        session->setProxy(proxyUri.getHost(), proxyUri.getPort());
        const std::string userInfo = proxyUri.getUserInfo();
        if (!userInfo.empty()) {
          const auto colon = userInfo.find(':');
          session->setProxyCredentials(userInfo.substr(0, colon), colon == std::string::npos
                                                                      ? ""
                                                                      : userInfo.substr(colon + 1));
        }
      }
      const Poco::Timespan span(
          std::chrono::duration_cast<std::chrono::microseconds>(timeout).count());
      session->setTimeout(span, span, span);
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, endpoint.getPathEtc(),
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.setContentType("application/json");
      request.set("User-Agent", std::string("telemetry/") + kVersion);
      request.set("Idempotency-Key", idempotencyKey);
      request.setContentLength(static_cast<std::streamsize>(json.size()));
      session->sendRequest(request) << json;
      Poco::Net::HTTPResponse response;
      std::istream& body = session->receiveResponse(response);
      Poco::NullOutputStream discard;
      Poco::StreamCopier::copyStream(body, discard);
      result.status = static_cast<int>(response.getStatus());
      if (result.status < 200 || result.status > 299) {
        result.error = "HTTP " + std::to_string(result.status);
        result.retryable = result.status >= 500 || result.status == 429 || result.status == 408;
        if (result.status == 429 || result.status == 503) result.retryAfter = retryAfter(response);
      }
    } catch (const Poco::Exception& e) {
      result.error = classify(e, timeout, Poco::URI(config_.endpoint).getHost());
    } catch (const std::exception& e) {
      result.error = std::string("error: ") + e.what();
    }
    delivery.attempts = attempt;
    delivery.httpStatus = result.status;
    delivery.error = result.error;
    if (result.error.empty()) {
      delivery.delivered = true;
      log->debug("attempt {}: HTTP {}", attempt, result.status);
      return delivery;
    }
    log->debug("attempt {} of {} failed: {}", attempt, allowed, result.error);
    if (!result.retryable) {
      delivery.error += " (not retried: the request itself was refused)";
      break;
    }
    if (attempt == allowed || stop.stop_requested()) break;

    milliseconds wait;
    if (result.retryAfter) {
      if (*result.retryAfter > options_.maxBackoff) {
        delivery.error += " (Retry-After " + seconds(*result.retryAfter) + " exceeds the " +
                          seconds(options_.maxBackoff) + " limit)";
        break;
      }
      wait = *result.retryAfter;
    } else {
      // Equal jitter: half the backoff fixed, half random, so a fleet spreads out.
      const auto half = backoff.count() / 2;
      wait = milliseconds(half + std::uniform_int_distribution<std::int64_t>(0, half)(random));
      backoff = std::min(backoff * 2, options_.maxBackoff);
    }
    if (deadline && Clock::now() + wait >= *deadline) break;
    std::unique_lock lock(mutex);
    wakeup.wait_for(lock, stop, wait, [] { return false; });
    if (stop.stop_requested()) break;
  }
  return delivery;
}

}  // namespace telemetry
