#include "delivery/sender.hpp"

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/DeflatingStream.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>

#include "config/logging.hpp"
#include "delivery/attempt_deadline.hpp"
#include "delivery/certificate_rejection.hpp"
#include "delivery/loopback_host.hpp"
#include "delivery/loopback_http_session.hpp"
#include "delivery/proxy_route.hpp"
#include "delivery/proxy_tunnel_session.hpp"
#include "plugins/plugin_log.hpp"
#include "telemetry/version.hpp"

namespace telemetry {
namespace {

using std::chrono::milliseconds;

/// The parts of the endpoint a request needs.
struct Endpoint {
  bool tls = true;
  std::string host;
  std::uint16_t port = 0;
  std::string target;  ///< path and query
};

/// Throws std::invalid_argument naming the endpoint unless it is https://, or plain http://
/// to this machine (a local collector; nothing leaves the host unencrypted).
Endpoint parseEndpoint(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception&) {
    throw std::invalid_argument("endpoint '" + url + "' is not a URL");
  }
  const std::string scheme = Poco::toLower(uri.getScheme());
  if (scheme != "https" && scheme != "http") {
    throw std::invalid_argument("endpoint '" + url + "' must be https://");
  }
  if (uri.getHost().empty()) throw std::invalid_argument("endpoint '" + url + "' has no host");
  if (scheme == "http" && !isLoopbackHost(uri.getHost())) {
    throw std::invalid_argument("endpoint '" + url +
                                "' is plain http:// to a host that is not loopback; reports "
                                "leave this machine only over https://");
  }
  return {scheme == "https", uri.getHost(), uri.getPort(), uri.getPathEtc()};
}

/// "2 s", "0.3 s": durations as operators read them, to a tenth of a second.
std::string seconds(milliseconds d) {
  std::ostringstream out;
  out << std::round(static_cast<double>(d.count()) / 100.0) / 10.0 << " s";
  return out.str();
}

/// The wait a Retry-After header asks for (delta-seconds or an HTTP date), if it is valid.
std::optional<milliseconds> retryAfter(const Poco::Net::HTTPResponse& response) {
  if (!response.has("Retry-After")) return std::nullopt;
  const std::string value = Poco::trim(response.get("Retry-After"));
  unsigned delay = 0;
  if (Poco::NumberParser::tryParseUnsigned(value, delay)) return std::chrono::seconds(delay);
  Poco::DateTime at;
  int zone = 0;
  if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::HTTP_FORMAT, value, at, zone)) {
    const Poco::Timestamp::TimeDiff wait = at.timestamp() - Poco::Timestamp();  // microseconds
    return std::chrono::duration_cast<milliseconds>(
        std::chrono::microseconds(std::max<Poco::Timestamp::TimeDiff>(wait, 0)));
  }
  return std::nullopt;
}

/// Decorrelated jitter: each wait is random between the first backoff and three times the
/// previous wait, capped, so a fleet that failed together does not retry together.
milliseconds nextBackoff(milliseconds previous, const SenderOptions& options,
                         std::mt19937_64& random) {
  const std::int64_t low = options.initialBackoff.count();
  const std::int64_t high = std::max(low, previous.count() * 3);
  const milliseconds wait(std::uniform_int_distribution<std::int64_t>(low, high)(random));
  return std::min(wait, options.maxBackoff);
}

Poco::Net::Context::Ptr clientContext(const std::string& caFile,
                                      const Poco::SharedPtr<CertificateRejection>& rejection) {
  Poco::Net::Context::Params params;
  // STRICT, not RELAXED: Poco 1.11 skips the host name check for loopback hosts otherwise.
  params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  params.loadDefaultCAs = true;
  params.caLocation = caFile;
  params.cipherList = "HIGH:!aNULL:!eNULL:!MD5:!RC4";
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
  context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                            Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
  context->setInvalidCertificateHandler(rejection);
  return context;
}

/// The report as a gzip member, as Content-Encoding: gzip says.
std::string gzipped(const std::string& json) {
  std::ostringstream out;
  Poco::DeflatingOutputStream deflate(out, Poco::DeflatingStreamBuf::STREAM_GZIP);
  deflate << json;
  deflate.close();
  return out.str();
}

/// What one attempt came to.
struct Attempt {
  int status = 0;     ///< 0 when no answer arrived
  std::string error;  ///< empty exactly when a 2xx arrived
  bool retryable = true;
  std::optional<milliseconds> retryAfter;
  std::string refusal;  ///< the collector's reason for a refusal, from its answer's body
};

// Enough for the collector's {"error": ..., "field": ...}; a longer body is cut.
constexpr std::streamsize kMaxRefusalBody = 2048;

/// Why the collector refused a report, on one escaped line: the "error" (and "field") of
/// its JSON answer, or the start of any other body.
std::string refusalReason(std::istream& body) {
  std::string text(static_cast<std::size_t>(kMaxRefusalBody), '\0');
  body.read(text.data(), kMaxRefusalBody);
  text.resize(static_cast<std::size_t>(body.gcount()));
  std::string reason = Poco::trim(text);
  try {
    auto answer = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    if (!answer) return PluginLog::printable(reason.substr(0, 300));
    reason = answer->has("error") ? answer->getValue<std::string>("error") : "";
    if (answer->has("field")) reason += " (field " + answer->getValue<std::string>("field") + ")";
  } catch (const Poco::Exception&) {
    // Not the collector's JSON: the text itself is the best reason there is.
  }
  return PluginLog::printable(reason.substr(0, 300));
}

/// One short, classified line for operators ("DNS: ...", "TLS: ...", "timeout after 2 s").
std::string describe(const Poco::Exception& e, milliseconds timeout, const Endpoint& endpoint,
                     const std::optional<ProxyRoute>& proxy,
                     const CertificateRejection* rejection) {
  const std::string via = proxy ? " (proxy " + proxy->address() + ")" : "";
  if (dynamic_cast<const Poco::TimeoutException*>(&e) != nullptr) {
    return "timeout after " + seconds(timeout) + via;
  }
  if (dynamic_cast<const Poco::Net::HostNotFoundException*>(&e) != nullptr ||
      dynamic_cast<const Poco::Net::NoAddressFoundException*>(&e) != nullptr) {
    return "DNS: host not found '" + (proxy ? proxy->host : endpoint.host) + "'";
  }
  if (dynamic_cast<const Poco::Net::DNSException*>(&e) != nullptr) {
    return "DNS: cannot resolve '" + (proxy ? proxy->host : endpoint.host) + "': " + e.message();
  }
  if (dynamic_cast<const Poco::Net::ConnectionRefusedException*>(&e) != nullptr) {
    return "connect: connection refused" + via;
  }
  if (dynamic_cast<const Poco::Net::CertificateValidationException*>(&e) != nullptr) {
    return "TLS: certificate verify failed (host name mismatch: the certificate is not for '" +
           endpoint.host + "')";
  }
  if (dynamic_cast<const Poco::Net::SSLConnectionUnexpectedlyClosedException*>(&e) != nullptr ||
      dynamic_cast<const Poco::Net::ConnectionResetException*>(&e) != nullptr ||
      dynamic_cast<const Poco::Net::NoMessageException*>(&e) != nullptr) {
    return "connection closed without an answer" + via;
  }
  if (dynamic_cast<const Poco::Net::SSLException*>(&e) != nullptr) {
    if (rejection != nullptr && !rejection->reason().empty()) {
      return "TLS: certificate verify failed (" + rejection->reason() + ")";
    }
    return "TLS: " + e.message();
  }
  if (proxy && dynamic_cast<const Poco::Net::HTTPException*>(&e) != nullptr) {
    return "proxy " + proxy->address() + ": " + e.message();  // the CONNECT was refused
  }
  return "connection: " + e.displayText() + via;
}

/// One attempt, ended by `timeout` as a whole: connect, TLS, send and answer together.
Attempt attemptOnce(const TelemetryConfig& config, const Endpoint& endpoint,
                    const std::optional<ProxyRoute>& proxy, const std::string& body, bool gzip,
                    const std::string& idempotencyKey, milliseconds timeout) {
  Attempt result;
  Poco::SharedPtr<CertificateRejection> rejection;
  Poco::Net::Context::Ptr context;
  if (endpoint.tls) {
    rejection = new CertificateRejection;
    try {
      context = clientContext(config.caFile, rejection);
    } catch (const Poco::Exception& e) {
      // A broken ca-file stays broken for the seconds a retry waits.
      return {
          0, "TLS: cannot use ca-file '" + config.caFile + "': " + e.displayText(), false, {}, {}};
    }
  }
  // Started after the CA certificates are read: that is local work, and on a loaded machine
  // it alone could use up a short timeout before the first byte goes out.
  AttemptDeadline deadline(Sender::Clock::now() + timeout);  // outlives the session
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (endpoint.tls) {
    session = std::make_unique<ProxyTunnelSession>(endpoint.host, endpoint.port, context, deadline);
  } else {
    session = std::make_unique<LoopbackHttpSession>(endpoint.host, endpoint.port, deadline);
  }
  try {
    if (proxy) {
      Poco::Net::HTTPClientSession::ProxyConfig proxyConfig;
      proxyConfig.host = proxy->host;
      proxyConfig.port = proxy->port;
      proxyConfig.username = proxy->username;
      proxyConfig.password = proxy->password;
      // Poco 1.11 would send an empty Basic Proxy-Authorization without this.
      proxyConfig.authMethod = proxy->username.empty()
                                   ? Poco::Net::HTTPClientSession::PROXY_AUTH_NONE
                                   : Poco::Net::HTTPClientSession::PROXY_AUTH_HTTP_BASIC;
      session->setProxyConfig(proxyConfig);
    }
    const Poco::Timespan span(
        std::chrono::duration_cast<std::chrono::microseconds>(timeout).count());
    session->setTimeout(span, span, span);
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, endpoint.target,
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.setContentType("application/json");
    request.set("User-Agent", std::string("telemetry/") + kVersion);
    request.set("Idempotency-Key", idempotencyKey);
    if (gzip) request.set("Content-Encoding", "gzip");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
    request.setKeepAlive(false);  // one request per connection: tell the collector so
    std::ostream& out = session->sendRequest(request);
    out << body;
    out.flush();
    // The stream swallows a failed write; the session keeps the cause.
    if (!out && session->networkException() != nullptr) session->networkException()->rethrow();
    Poco::Net::HTTPResponse response;
    // Only the status counts: a 2xx's body is not read, so a collector that stalls after
    // its status line cannot turn a delivery into a timeout and a duplicate.
    std::istream& body = session->receiveResponse(response);
    // Cut mid-answer, Poco reads the end of the connection as the end of the headers.
    if (deadline.passed()) throw Poco::TimeoutException("the attempt's deadline passed");
    result.status = static_cast<int>(response.getStatus());
    if (result.status < 200 || result.status > 299) {
      result.error = "HTTP " + std::to_string(result.status);
      result.retryable = result.status >= 500 || result.status == 429 || result.status == 408;
      if (result.status == 429 || result.status == 503) result.retryAfter = retryAfter(response);
      if (!result.retryable) {
        try {
          result.refusal = refusalReason(body);
        } catch (const std::exception&) {
          // The status alone says it was refused; the reason is a courtesy.
        }
      }
    }
  } catch (const Poco::Exception& e) {
    // Cut at the deadline, the attempt fails with whatever the socket said then.
    result.error = deadline.passed() ? "timeout after " + seconds(timeout) +
                                           (proxy ? " (proxy " + proxy->address() + ")" : "")
                                     : describe(e, timeout, endpoint, proxy, rejection.get());
    // A certificate that failed verification fails the same way seconds later.
    result.retryable =
        dynamic_cast<const Poco::Net::CertificateValidationException*>(&e) == nullptr &&
        (rejection.isNull() || rejection->reason().empty());
  }
  return result;
}

}  // namespace

Sender::Sender(const TelemetryConfig& config, SenderOptions options)
    : config_(config), options_(options) {
  parseEndpoint(config_.endpoint);
  if (!config_.proxy.empty()) ProxyRoute::parse(config_.proxy);
}

Delivery Sender::send(const std::string& json, const std::string& idempotencyKey,
                      std::stop_token stop, std::optional<Clock::time_point> deadline,
                      std::optional<int> retries) const {
  Delivery delivery;
  try {
    auto log = logger("telemetry.sender");
    const Endpoint endpoint = parseEndpoint(config_.endpoint);
    std::optional<ProxyRoute> proxy;
    try {
      proxy = ProxyRoute::choose(config_.proxy, endpoint.tls ? "https" : "http", endpoint.host);
    } catch (const std::invalid_argument& e) {
      delivery.error = e.what();  // HTTPS_PROXY from the environment is not checked elsewhere
      return delivery;
    }
    int allowed = 1 + std::max(0, retries.value_or(config_.requestRetries));
    std::mt19937_64 random{std::random_device{}()};
    milliseconds backoff = options_.initialBackoff;
    std::mutex mutex;
    std::condition_variable_any wakeup;
    bool gzip = config_.compress;
    const std::string compressed = gzip ? gzipped(json) : std::string();

    for (int attempt = 1;; ++attempt) {
      milliseconds timeout = std::max(config_.requestTimeout, milliseconds(1));
      if (deadline) {
        timeout =
            std::min(timeout, std::chrono::duration_cast<milliseconds>(*deadline - Clock::now()));
        if (timeout <= milliseconds(0)) {
          delivery.error = "no time left before the deadline";
          break;
        }
      }
      const std::string& body = gzip ? compressed : json;
      const Attempt result =
          attemptOnce(config_, endpoint, proxy, body, gzip, idempotencyKey, timeout);
      delivery.attempts = attempt;
      delivery.contentEncoding = gzip ? "gzip" : "";
      delivery.wireBytes = body.size();
      // A collector that does not read gzip answers 415, or 400 when it predates
      // Content-Encoding altogether; the same report uncompressed is the way out.
      if (gzip && (result.status == 415 || result.status == 400)) {
        log->info(
            "the collector answered HTTP {} to a gzip-compressed report: sending it "
            "uncompressed (set telemetry.compress: false for this collector)",
            result.status);
        gzip = false;
        ++allowed;  // not one of the retries: the first try of the uncompressed report
        continue;
      }
      delivery.httpStatus = result.status;
      delivery.error = result.error;
      if (result.error.empty()) {
        delivery.delivered = true;
        if (result.status == 202) {
          log->debug("attempt {}: HTTP {}", attempt, result.status);
        } else {
          log->debug("attempt {}: unexpected HTTP {} (a collector answers 202); delivered", attempt,
                     result.status);
        }
        break;
      }
      log->debug("attempt {} of {} failed: {}", attempt, allowed, result.error);
      if (!result.retryable) {
        if (result.status != 0) {
          delivery.refused = true;
          delivery.error += " (not retried: the collector refused it" +
                            (result.refusal.empty() ? "" : ": " + result.refusal) + ")";
        }
        break;
      }
      if (attempt == allowed) break;
      if (stop.stop_requested()) {
        delivery.error += " (stopped before retrying)";
        break;
      }
      milliseconds wait;
      if (result.retryAfter) {
        if (*result.retryAfter > options_.maxBackoff) {
          delivery.error += " (Retry-After " + seconds(*result.retryAfter) + " exceeds the " +
                            seconds(options_.maxBackoff) + " limit)";
          break;
        }
        wait = *result.retryAfter;
      } else {
        backoff = nextBackoff(backoff, options_, random);
        wait = backoff;
      }
      if (deadline && Clock::now() + wait >= *deadline) {
        delivery.error += " (no time left for a retry before the deadline)";
        break;
      }
      log->debug("retrying in {}", seconds(wait));
      std::unique_lock lock(mutex);
      wakeup.wait_for(lock, stop, wait, [] { return false; });
      if (stop.stop_requested()) {
        delivery.error += " (stopped before retrying)";
        break;
      }
    }
  } catch (const std::exception& e) {
    delivery.error = std::string("internal error: ") + e.what();
  } catch (...) {
    delivery.error = "internal error";
  }
  return delivery;
}

}  // namespace telemetry
