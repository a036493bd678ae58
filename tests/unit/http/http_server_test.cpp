// telemetry::http::HttpServer over loopback, spoken to with raw bytes: it answers, hands a
// handler the whole body (declared or chunked), hands a body over the limit over unread for a
// 413, and answers a body it cannot trust (cut short, unknown coding, bad length) with 400
// without calling the handler.
#include "telemetry/http/http_server.hpp"

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/http/request_body.hpp"

namespace {

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;
using telemetry::http::HttpServer;
using telemetry::http::HttpServerLimits;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::size_t kMaxBody = 64;

// Answers 200 with the body it was given, or 413 (then drains the rest) when it is too large.
class EchoHandler final : public HTTPRequestHandler {
 public:
  explicit EchoHandler(std::atomic<int>& calls) : calls_(calls) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    ++calls_;
    const std::string body = telemetry::http::readCappedBody(request.stream(), kMaxBody);
    if (body.size() > kMaxBody) {
      response.setStatusAndReason(HTTPServerResponse::HTTP_REQUEST_ENTITY_TOO_LARGE);
      response.setContentLength(0);
      response.send();
      request.stream().ignore(std::numeric_limits<std::streamsize>::max());
      return;
    }
    response.setContentType("text/plain");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send() << body;
  }

 private:
  std::atomic<int>& calls_;
};

class EchoFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit EchoFactory(std::atomic<int>& calls) : calls_(calls) {}
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new EchoHandler(calls_);
  }

 private:
  std::atomic<int>& calls_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  HttpServerTest() {
    HttpServerLimits limits;
    limits.maxBody = kMaxBody;
    limits.serverName = "echo-test";
    server_ = std::make_unique<HttpServer>(new EchoFactory(calls_), socket_, limits);
    server_->start();
  }

  /// Sends `bytes` on a new connection and reads until the server closes it. With
  /// `endSending` the client closes its side after sending, as a client whose body ends early.
  std::string exchange(const std::string& bytes, bool endSending = false) {
    Poco::Net::StreamSocket client(socket_.address());
    client.setReceiveTimeout(Poco::Timespan(60, 0));  // a hang guard only
    client.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    if (endSending) client.shutdownSend();
    std::string answer;
    char buffer[4096];
    try {
      for (int n; (n = client.receiveBytes(buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
    } catch (const Poco::Net::ConnectionResetException&) {
      // the server may reset after its answer: what arrived is the answer
    }
    return answer;
  }

  /// A POST of `body` with the given framing headers, the last request on its connection.
  static std::string post(const std::string& framing, const std::string& body) {
    return "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + framing + "\r\n" + body;
  }
  static std::string withLength(const std::string& body) {
    return post("Content-Length: " + std::to_string(body.size()) + "\r\n", body);
  }

  Poco::Net::ServerSocket socket_{Poco::Net::SocketAddress("127.0.0.1", 0)};
  std::atomic<int> calls_{0};
  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpServerTest, AnswersARequest) {
  const std::string answer = exchange("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(calls_, 1);
}

TEST_F(HttpServerTest, ABodyWithinTheLimitReachesTheHandlerWhole) {
  const std::string body(kMaxBody, 'b');
  const std::string answer = exchange(withLength(body));
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(answer, EndsWith("\r\n\r\n" + body));
}

TEST_F(HttpServerTest, AChunkedBodyReachesTheHandlerWhole) {
  const std::string answer =
      exchange(post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(answer, EndsWith("\r\n\r\nhello world"));
}

TEST_F(HttpServerTest, ARequestWithoutLengthHasNoBodyAndTheNextRequestFollows) {
  // Poco alone would read the body until the client closes; the second request would be it.
  const std::string answer = exchange(
      "POST /echo HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(calls_, 2);
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(answer.substr(1), HasSubstr("HTTP/1.1 200 OK\r\n"));
}

TEST_F(HttpServerTest, ADeclaredBodyOverTheLimitIsHandedOverForA413) {
  const std::string answer = exchange(withLength(std::string(100 * kMaxBody, 'x')));
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 413 "));
  EXPECT_EQ(calls_, 1);
}

TEST_F(HttpServerTest, AChunkedBodyOverTheLimitIsHandedOverForA413) {
  const std::string chunk(kMaxBody, 'x');
  const std::string answer = exchange(post(
      "Transfer-Encoding: chunked\r\n", "40\r\n" + chunk + "\r\n40\r\n" + chunk + "\r\n0\r\n\r\n"));
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 413 "));
}

TEST_F(HttpServerTest, ABodyShorterThanItsLengthIs400WithoutTheHandler) {
  const std::string answer = exchange(post("Content-Length: 40\r\n", "only ten b"), true);
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 400 "));
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, AnotherTransferEncodingIs400WithoutTheHandler) {
  for (const char* coding : {"gzip", "chunked, identity"}) {
    const std::string answer =
        exchange(post("Transfer-Encoding: " + std::string(coding) + "\r\n", "0\r\n\r\n"));
    EXPECT_THAT(answer, StartsWith("HTTP/1.1 400 ")) << coding;
  }
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, AContentLengthThatIsNoLengthIsNotHandled) {
  for (const char* length : {"abc", "12abc", "-5"}) {
    const std::string answer =
        exchange(post("Content-Length: " + std::string(length) + "\r\n", "12345"));
    EXPECT_THAT(answer, Not(HasSubstr("200 OK"))) << length << ": " << answer;
  }
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, ANegativeContentLengthCannotSmuggleASecondRequest) {
  const std::string hidden = "GET /hidden HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const std::string answer = exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -" +
                                      std::to_string(hidden.size()) + "\r\n\r\n" + hidden);
  EXPECT_THAT(answer, StartsWith("HTTP/1.1 400 "));
  EXPECT_EQ(calls_, 0) << answer;
}

}  // namespace
