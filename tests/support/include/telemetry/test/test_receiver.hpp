// A real HTTPS (or plain HTTP) server on 127.0.0.1 standing in for the collector: answers
// each request as scripted (a status, Retry-After, hang, close the connection) and records
// what arrived, so tests check exactly what a sender sent.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace Poco::Net {
class HTTPServer;
}

namespace telemetry::test {

/// Test certificates made by tests/support/certs.sh at build time.
std::string certificateFile(const std::string& name);  ///< e.g. "server.pem", "ca.pem"

class TestReceiver {
 public:
  /// How to answer one request.
  struct Answer {
    Answer(int status = 202) : status(status) {}  // NOLINT: a plain status reads best
    int status;
    std::optional<int> retryAfterSeconds;
  };
  static constexpr int kHang = -1;   ///< never answer (until the receiver stops)
  static constexpr int kClose = -2;  ///< close the connection without an answer

  struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;
    std::string body;
  };

  struct Options {
    bool tls = true;
    std::string certificate = "server";  ///< <name>.pem and <name>.key from certificateFile()
  };

  TestReceiver();
  explicit TestReceiver(Options options);
  /// Stops at once, also with a hanging request in flight.
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

 private:
  class Handler;
  class HandlerFactory;
  Answer record(Request request);
  void waitWhileRunning();

  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Answer> script_;
  std::vector<Request> requests_;
  bool stopping_ = false;
  unsigned short port_ = 0;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

}  // namespace telemetry::test
