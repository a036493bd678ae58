// A real HTTPS (or plain HTTP) server on 127.0.0.1 standing in for the collector: answers
// each request as scripted (a status, Retry-After, hang, close the connection) and records
// what arrived, so tests check exactly what a sender sent.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <Poco/String.h>
#include <Poco/ThreadPool.h>

namespace Poco::Net {
class HTTPServer;
}

namespace telemetry::test {

/// A test certificate made by tests/support/certs.sh at build time, e.g. "ca.pem".
std::string certificateFile(const std::string& name);

class TestReceiver {
 public:
  static constexpr int kHang = -1;   ///< answer nothing until the receiver stops (or hangFor)
  static constexpr int kClose = -2;  ///< close the connection without an answer

  /// How to answer one request.
  struct Answer {
    Answer(int status = 202) : status(status) {}  // NOLINT: a plain status reads best
    int status;                                   ///< an HTTP status, kHang or kClose
    std::optional<int> retryAfterSeconds;
    std::map<std::string, std::string> headers;  ///< more response headers
    std::string body = "{}";
    /// With kHang: give up after this long and close without an answer.
    std::optional<std::chrono::milliseconds> hangFor;

    /// One step of a script: "202", "429:3" (Retry-After 3), "hang", "hang:2" (for 2 s),
    /// "close". Throws std::invalid_argument for anything else.
    static Answer parse(const std::string& step);
  };

  /// A comma-separated script such as "202,500,429:3,hang,close".
  static std::vector<Answer> parseScript(const std::string& script);

  /// HTTP header names compare case-insensitively.
  struct HeaderNameLess {
    bool operator()(const std::string& a, const std::string& b) const {
      return Poco::icompare(a, b) < 0;
    }
  };

  struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string, HeaderNameLess> headers;
    std::string body;
  };

  struct Options {
    bool tls = true;
    std::string certificate = certificateFile("server.pem");  ///< PEM file
    std::string key = certificateFile("server.key");          ///< its private key
    /// Called with each request as it arrives, before it is answered; on server threads,
    /// several at once when requests overlap.
    std::function<void(const Request&)> onRequest = {};

    /// TLS with <name>.pem and <name>.key from certs.sh, e.g. "expired".
    static Options withCertificate(const std::string& name);
  };

  TestReceiver();
  explicit TestReceiver(Options options);
  ~TestReceiver();
  TestReceiver(const TestReceiver&) = delete;
  TestReceiver& operator=(const TestReceiver&) = delete;

  /// https://127.0.0.1:PORT/pings (http:// without TLS).
  std::string url() const;
  /// The CA that signed the receiver's certificate.
  static std::string caFile();

  /// Answers for the next requests, in order; once used up every request gets 202.
  void script(std::vector<Answer> answers);
  /// True when at least `count` requests arrived within `timeout`.
  bool waitForRequests(std::size_t count, std::chrono::milliseconds timeout);
  std::vector<Request> requests() const;
  /// The bodies of requests(), in order.
  std::vector<std::string> bodies() const;

  /// Stops serving at once, also with a hanging request in flight; the destructor calls it.
  void stop();

 private:
  class Handler;
  class HandlerFactory;
  Answer record(Request request);
  /// Until the receiver stops or `limit` passes.
  void hang(std::optional<std::chrono::milliseconds> limit);

  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Answer> script_;
  std::vector<Request> requests_;
  bool stopping_ = false;
  unsigned short port_ = 0;
  // Its own pool, so stop() can wait for every handler before the members they use go.
  Poco::ThreadPool threads_{2, 16};
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace telemetry::test
