// HttpServer in-process over plain HTTP on loopback, spoken to with raw sockets, so that
// keep-alive, pipelining, HEAD, 100-continue and broken requests are what the test says.
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/http_server.hpp"

namespace telemetry::collector {
namespace {

using namespace std::chrono_literals;

// Lets the test hold "/held" requests in their handler until it releases them.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  int entered = 0;
  bool open = false;

  void pass() {
    std::unique_lock lock(mutex);
    ++entered;
    changed.notify_all();
    changed.wait(lock, [this] { return open; });
  }
  // Hang guard: false when fewer than `count` handlers arrived within a minute.
  bool waitFor(int count) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, std::chrono::minutes(1), [&] { return entered >= count; });
  }
  void release() {
    std::lock_guard lock(mutex);
    open = true;
    changed.notify_all();
  }
};

// Echoes the method, path and body; "/later" answers from another thread after 200 ms
// (and sets `laterReached`), "/throw" throws, "/blocking" runs on the worker pool,
// "/held" waits there until the gate opens, "/probe" runs on the probes lane, "/screened"
// answers from the head.
class EchoHandler : public HttpHandler {
 public:
  EchoHandler(std::string path, std::atomic<bool>& laterReached, Gate& gate)
      : path_(std::move(path)), laterReached_(laterReached), gate_(gate) {}
  std::optional<HttpResponse> screen(const HttpRequest& head) override {
    if (head.path == "/screened") return HttpResponse::error(429, "screened");
    return std::nullopt;
  }
  std::size_t maxBody() const override { return 100; }
  HttpLane lane() const override {
    if (path_.starts_with("/blocking") || path_ == "/held") return HttpLane::queries;
    if (path_ == "/probe") return HttpLane::probes;
    return HttpLane::network;
  }
  void handle(HttpRequest& request, HttpResponder respond) override {
    if (request.path == "/held") gate_.pass();
    if (request.path == "/throw") throw std::runtime_error("handler failed");
    if (request.path == "/answer-then-throw" || request.path == "/blocking-answer-then-throw") {
      respond(HttpResponse::text(201, "text/plain", "answered"));
      throw std::runtime_error("handler failed after answering");
    }
    auto answer = HttpResponse::text(200, "text/plain",
                                     request.method + " " + request.path + " " + request.body);
    if (request.path == "/later") {
      laterReached_ = true;
      std::thread([respond, answer] {
        std::this_thread::sleep_for(200ms);
        respond(answer);
      }).detach();
      return;
    }
    respond(std::move(answer));
  }

 private:
  std::string path_;
  std::atomic<bool>& laterReached_;
  Gate& gate_;
};

class HttpServerTest : public ::testing::Test {
 protected:
  std::vector<int> statuses;
  std::vector<std::string> routed;  // every request's path, as handed to the handler factory
  std::mutex statusesMutex;         // guards both
  std::atomic<int> opened{0};
  std::atomic<int> closed{0};
  std::atomic<int> refused{0};
  std::atomic<int> acceptFailures{0};
  std::atomic<bool> laterReached{false};
  Gate gate;
  std::unique_ptr<HttpServer> server;
  Poco::UInt16 port = 0;

  void SetUp() override { startServer(4096); }
  void TearDown() override {
    gate.release();  // a failed test must not leave handlers waiting for stop()
    server->stop(1s);
  }

  void startServer(std::size_t maxConnections, std::chrono::seconds keepAlive = 2s,
                   std::size_t networkThreads = 2,
                   std::chrono::milliseconds acceptRetryPause = 100ms) {
    if (server) server->stop(1s);
    HttpServer::Options options;
    options.host = "127.0.0.1";
    options.networkThreads = networkThreads;
    options.acceptRetryPause = acceptRetryPause;
    options.keepAliveTimeout = keepAlive;
    options.maxConnections = maxConnections;
    HttpServer::Events events;
    events.answered = [this](int status) {
      std::lock_guard lock(statusesMutex);
      statuses.push_back(status);
    };
    events.connectionOpened = [this] { ++opened; };
    events.connectionClosed = [this] { ++closed; };
    events.connectionRefused = [this] { ++refused; };
    events.acceptFailed = [this] { ++acceptFailures; };
    server = std::make_unique<HttpServer>(
        options,
        [this](const HttpRequest& head) {
          {
            std::lock_guard lock(statusesMutex);
            routed.push_back(head.path);
          }
          return std::make_unique<EchoHandler>(head.path, laterReached, gate);
        },
        std::move(events));
    server->start();
    const auto address = server->boundAddress();
    port = static_cast<Poco::UInt16>(std::stoi(address.substr(address.rfind(':') + 1)));
  }

  Poco::Net::StreamSocket connect() {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
    socket.setReceiveTimeout(Poco::Timespan(5, 0));
    return socket;
  }

  static void send(Poco::Net::StreamSocket& socket, const std::string& text) {
    socket.sendBytes(text.data(), static_cast<int>(text.size()));
  }

  // Reads until `count` answers ended (by Content-Length; HEAD answers do not fit) or the
  // peer closed.
  static std::string receive(Poco::Net::StreamSocket& socket, int count) {
    std::string text;
    char buffer[4096];
    for (;;) {
      int complete = 0;
      std::size_t at = 0;
      while (complete < count) {
        const auto headEnd = text.find("\r\n\r\n", at);
        if (headEnd == std::string::npos) break;
        const auto lengthAt = text.find("Content-Length: ", at);
        std::size_t length = 0;
        if (lengthAt != std::string::npos && lengthAt < headEnd) {
          length = std::stoul(text.substr(lengthAt + 16));
        }
        const std::size_t end = headEnd + 4 + length;
        if (end > text.size()) break;
        at = end;
        ++complete;
      }
      if (complete >= count) return text;
      const int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) return text;
      text.append(buffer, static_cast<std::size_t>(n));
    }
  }

  // True when the peer closed (an orderly end or a reset) before `wait`, a hang guard far
  // above any timeout the tests configure; false when the connection is still open then.
  // Any bytes still arriving are read past.
  static bool closedByPeer(Poco::Net::StreamSocket& socket, std::chrono::seconds wait = 30s) {
    socket.setReceiveTimeout(Poco::Timespan(static_cast<long>(wait.count()), 0));
    char buffer[4096];
    try {
      int received = 0;
      while ((received = socket.receiveBytes(buffer, sizeof buffer)) > 0) {
      }
      return received == 0;
    } catch (const Poco::TimeoutException&) {
      return false;  // still open
    } catch (const Poco::Net::NetException&) {
      return true;  // reset
    }
  }
};

TEST_F(HttpServerTest, AnswersPipelinedRequestsOnOneConnectionInOrder) {
  auto socket = connect();
  send(socket,
       "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
       "GET /b HTTP/1.1\r\nHost: x\r\n\r\n"
       "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n");
  const auto text = receive(socket, 3);
  const auto a = text.find("POST /a one");
  const auto b = text.find("GET /b ");
  const auto c = text.find("POST /c two");
  ASSERT_NE(a, std::string::npos) << text;
  ASSERT_NE(b, std::string::npos) << text;
  ASSERT_NE(c, std::string::npos) << text;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_NE(text.find("Date: "), std::string::npos);
}

TEST_F(HttpServerTest, AnswersHeadWithTheLengthAndNoBody) {
  auto socket = connect();
  send(socket, "HEAD /page HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string text;
  char buffer[4096];
  while (text.find("GET /next") == std::string::npos) {
    const int n = socket.receiveBytes(buffer, sizeof buffer);
    ASSERT_GT(n, 0) << text;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  // HEAD's answer declares the GET body's length ("HEAD /page " is 11 bytes) but sends none:
  // the next answer follows its head directly.
  EXPECT_NE(text.find("Content-Length: 11\r\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("HEAD /page"), std::string::npos) << text;
  EXPECT_EQ(text.find("\r\n\r\nHTTP/1.1 200"), text.find("\r\n\r\n")) << text;
}

TEST_F(HttpServerTest, Sends100ContinueBeforeReadingAnExpectedBody) {
  auto socket = connect();
  send(socket, "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
  const auto interim = receive(socket, 1);
  EXPECT_EQ(interim.rfind("HTTP/1.1 100 Continue\r\n", 0), 0U) << interim;
  send(socket, "body");
  EXPECT_NE(receive(socket, 1).find("POST /e body"), std::string::npos);
}

TEST_F(HttpServerTest, AnswersAMalformedRequest400AndCloses) {
  auto socket = connect();
  send(socket, "NOT HTTP AT ALL\r\n\r\n");
  const auto text = receive(socket, 1);
  EXPECT_EQ(text.rfind("HTTP/1.1 400", 0), 0U) << text;
  EXPECT_NE(text.find("Connection: close"), std::string::npos) << text;
  EXPECT_TRUE(closedByPeer(socket));
}

// Found by an outside trial: with "Transfer-Encoding: gzip" and no Content-Length, Beast
// takes the body as empty, so the body was read as a second request (a hidden POST /pings
// was stored) on a connection left open after the 400.
TEST_F(HttpServerTest, RefusesABodyNotFramedByAFinalChunkedAndCloses) {
  const std::pair<std::string, std::string> cases[] = {
      {"HTTP/1.1", "Transfer-Encoding: gzip\r\n"},
      {"HTTP/1.1", "Transfer-Encoding: identity\r\n"},
      {"HTTP/1.1", "Transfer-Encoding: xchunked\r\n"},
      {"HTTP/1.1", "Transfer-Encoding: chunked, identity\r\n"},
      {"HTTP/1.1", "Transfer-Encoding: \r\n"},
      {"HTTP/1.1", "Transfer-Encoding: gzip\r\nContent-Length: 36\r\n"},
      {"HTTP/1.0", "Transfer-Encoding: chunked\r\nConnection: keep-alive\r\n"},
  };
  for (const auto& [version, framing] : cases) {
    SCOPED_TRACE(version + " " + framing);
    auto socket = connect();
    send(socket, "POST /a " + version + "\r\nHost: x\r\n" + framing +
                     "\r\nGET /hidden HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto text = receive(socket, 1);
    EXPECT_EQ(text.rfind(version + " 400", 0), 0U) << text;
    if (version == "HTTP/1.1") {
      EXPECT_NE(text.find("Connection: close"), std::string::npos) << text;
    }
    EXPECT_TRUE(closedByPeer(socket));
  }
  std::lock_guard lock(statusesMutex);
  EXPECT_EQ(std::count(routed.begin(), routed.end(), "/hidden"), 0);
}

TEST_F(HttpServerTest, RefusesATransferCodingItCannotDecodeWith501AndCloses) {
  auto socket = connect();
  send(socket,
       "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
       "0\r\n\r\nGET /hidden HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto text = receive(socket, 1);
  EXPECT_EQ(text.rfind("HTTP/1.1 501", 0), 0U) << text;
  EXPECT_TRUE(closedByPeer(socket));
  std::lock_guard lock(statusesMutex);
  EXPECT_EQ(std::count(routed.begin(), routed.end(), "/hidden"), 0);
}

TEST_F(HttpServerTest, ClosesTheConnectionAfterABrokenChunk) {
  auto socket = connect();
  send(socket,
       "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
       "zz\r\nGET /hidden HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto text = receive(socket, 1);
  EXPECT_EQ(text.rfind("HTTP/1.1 400", 0), 0U) << text;
  EXPECT_TRUE(closedByPeer(socket));
  std::lock_guard lock(statusesMutex);
  EXPECT_EQ(std::count(routed.begin(), routed.end(), "/hidden"), 0);
}

TEST_F(HttpServerTest, AnswersAnOversizedHead431) {
  auto socket = connect();
  send(socket, "GET / HTTP/1.1\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
  EXPECT_EQ(receive(socket, 1).rfind("HTTP/1.1 431", 0), 0U);
}

TEST_F(HttpServerTest, AnswersABodyOverTheHandlersLimit413AndCloses) {
  auto socket = connect();
  send(socket,
       "POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
       "C8\r\n" +
           std::string(200, 'a') + "\r\n0\r\n\r\n");
  const auto text = receive(socket, 1);
  EXPECT_EQ(text.rfind("HTTP/1.1 413", 0), 0U) << text;
  EXPECT_TRUE(closedByPeer(socket));
}

TEST_F(HttpServerTest, SendsAScreenedAnswerWithoutReadingTheBodyThenCloses) {
  auto socket = connect();
  // The declared body never comes; the answer must not wait for it.
  send(socket, "POST /screened HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
  const auto text = receive(socket, 1);
  EXPECT_EQ(text.rfind("HTTP/1.1 429", 0), 0U) << text;
  EXPECT_TRUE(closedByPeer(socket));
}

TEST_F(HttpServerTest, Answers500WhenAHandlerThrowsAndKeepsServing) {
  auto socket = connect();
  send(socket, "GET /throw HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto text = receive(socket, 2);
  EXPECT_EQ(text.rfind("HTTP/1.1 500", 0), 0U) << text;
  EXPECT_NE(text.find("GET /after"), std::string::npos) << text;
}

TEST_F(HttpServerTest, SendsOneAnswerWhenAHandlerThrowsAfterAnswering) {
  auto socket = connect();
  send(socket,
       "GET /answer-then-throw HTTP/1.1\r\nHost: x\r\n\r\nGET /next HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto text = receive(socket, 2);
  EXPECT_EQ(text.rfind("HTTP/1.1 201", 0), 0U) << text;
  EXPECT_EQ(text.find("HTTP/1.1 500"), std::string::npos) << text;
  EXPECT_NE(text.find("GET /next"), std::string::npos) << text;
}

TEST_F(HttpServerTest, RunsBlockingHandlersAndLateAnswers) {
  auto socket = connect();
  send(socket, "GET /blocking HTTP/1.1\r\nHost: x\r\n\r\nGET /later HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto text = receive(socket, 2);
  EXPECT_NE(text.find("GET /blocking"), std::string::npos) << text;
  EXPECT_NE(text.find("GET /later"), std::string::npos) << text;
}

// Found by an outside trial: 30 parallel dashboard queries delayed /healthz by 6.6 s, as
// both ran on the same two worker threads.
TEST_F(HttpServerTest, AnswersAProbeWhileEveryQueryWorkerIsHeld) {
  std::vector<Poco::Net::StreamSocket> queries;
  for (int i = 0; i < 3; ++i) {  // more than the two workers
    queries.push_back(connect());
    send(queries.back(), "GET /held HTTP/1.1\r\nHost: x\r\n\r\n");
  }
  ASSERT_TRUE(gate.waitFor(2));
  auto probe = connect();
  probe.setReceiveTimeout(Poco::Timespan(30, 0));  // a hang guard: held queries never end
  send(probe, "GET /probe HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string answer;
  try {
    answer = receive(probe, 1);
  } catch (const Poco::TimeoutException&) {
  }
  EXPECT_NE(answer.find("GET /probe"), std::string::npos) << answer;
  gate.release();
  for (auto& query : queries) EXPECT_NE(receive(query, 1).find("GET /held"), std::string::npos);
}

TEST_F(HttpServerTest, TellsTheObserverEveryStatus) {
  auto socket = connect();
  send(socket, "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /throw HTTP/1.1\r\nHost: x\r\n\r\n");
  receive(socket, 2);
  server->stop(1s);
  std::lock_guard lock(statusesMutex);
  EXPECT_EQ(statuses, (std::vector<int>{200, 500}));
}

TEST_F(HttpServerTest, ClosesAnIdleConnectionAfterTheKeepAliveTimeout) {
  auto socket = connect();
  send(socket, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  receive(socket, 1);
  EXPECT_TRUE(closedByPeer(socket));  // keepAliveTimeout is 2 s
}

TEST_F(HttpServerTest, StopClosesIdleConnectionsAndAnswersRequestsInFlight) {
  auto idle = connect();
  auto busy = connect();
  send(busy, "GET /later HTTP/1.1\r\nHost: x\r\n\r\n");
  // Stop only once the request is in its handler, however slow the machine.
  for (int i = 0; i < 30000 && !laterReached; ++i) std::this_thread::sleep_for(1ms);
  ASSERT_TRUE(laterReached);
  auto stopped = std::async(std::launch::async, [this] { server->stop(5s); });
  const auto text = receive(busy, 1);
  EXPECT_NE(text.find("GET /later"), std::string::npos) << text;
  EXPECT_NE(text.find("Connection: close"), std::string::npos) << text;
  EXPECT_TRUE(closedByPeer(idle));
  stopped.get();
  EXPECT_EQ(server->openConnections(), 0U);
}

// Found by review: headOnly_ outlives its HEAD request, so the 400 for a malformed request
// pipelined after a HEAD was sent without its body (Content-Length: N, then the close).
TEST_F(HttpServerTest, AnswersAMalformedRequestAfterAHeadRequestWithABody) {
  auto socket = connect();
  send(socket, "HEAD /a HTTP/1.1\r\nHost: x\r\n\r\nBROKEN\r\n\r\n");
  const auto text = receive(socket, 99);  // until the server closes
  const auto bad = text.find("HTTP/1.1 400");
  ASSERT_NE(bad, std::string::npos) << text;
  EXPECT_NE(text.find("{\"error\"", bad), std::string::npos) << text;
}

// Found by review: when accept() fails with EMFILE the acceptor re-arms at once, and the
// network threads spin at 100% CPU for as long as the descriptors stay exhausted (systemd's
// default soft limit is 1024, below maxConnections). With one network thread, a spinning
// acceptor fails again between any two steps of the requests that thread serves; paused (for
// an hour here), it fails once however much else the thread does.
TEST_F(HttpServerTest, DoesNotSpinWhenAcceptRunsOutOfDescriptors) {
#if defined(__SANITIZE_ADDRESS__)
  // UBSan's vptr check opens a pipe to probe memory: with no descriptor left it reports
  // a false "invalid vptr" and ends the process.
  GTEST_SKIP() << "needs a build without sanitizers";
#endif
  startServer(4096, 2s, 1, 1h);
  auto served = connect();  // accepted while descriptors are left
  send(served, "GET /first HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_NE(receive(served, 1).find("GET /first"), std::string::npos);

  std::vector<int> clients;
  for (int i = 0; i < 16; ++i) clients.push_back(::socket(AF_INET, SOCK_STREAM, 0));
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  int highest = 0;
  for (int fd = 0; fd < 65536 && fd < static_cast<int>(saved.rlim_cur); ++fd) {
    if (fcntl(fd, F_GETFD) != -1) highest = fd;
  }
  rlimit low = saved;
  low.rlim_cur = static_cast<rlim_t>(highest + 1);  // no descriptor left for accept()
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  std::vector<int> fillers;  // the holes below the limit
  for (int fd; (fd = ::open("/dev/null", O_RDONLY)) >= 0;) fillers.push_back(fd);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int fd : clients) ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  for (int i = 0; i < 30000 && acceptFailures == 0; ++i) std::this_thread::sleep_for(1ms);
  const int firstFailures = acceptFailures;
  std::string answers;
  for (int i = 0; i < 20; ++i) {
    send(served, "GET /meanwhile HTTP/1.1\r\nHost: x\r\n\r\n");
    answers += receive(served, 1);
  }
  const int laterFailures = acceptFailures;
  setrlimit(RLIMIT_NOFILE, &saved);
  for (int fd : clients) ::close(fd);
  for (int fd : fillers) ::close(fd);
  EXPECT_EQ(firstFailures, 1);
  EXPECT_EQ(laterFailures, 1) << "accept() failed again while the thread served 20 requests";
  EXPECT_NE(answers.find("GET /meanwhile"), std::string::npos);
}

// Found by review: "answered" is one flag per session, reset when the next request's body is
// read. A handler on the worker pool that throws after answering reaches its catch when the
// connection may already serve the next pipelined request: its 500 then goes out as that
// request's answer (and the catch reads request_ while the strand rewrites it).
TEST_F(HttpServerTest, AnswersPipelinedRequestsOnceWhenAWorkerThrowsAfterAnswering) {
  auto socket = connect();
  std::string requests;
  for (int i = 0; i < 200; ++i) {
    requests += "GET /blocking-answer-then-throw HTTP/1.1\r\nHost: x\r\n\r\n";
  }
  send(socket, requests);
  const auto text = receive(socket, 200);
  std::size_t answers = 0;
  for (auto at = text.find("HTTP/1.1 201"); at != std::string::npos;
       at = text.find("HTTP/1.1 201", at + 1)) {
    ++answers;
  }
  EXPECT_EQ(answers, 200U);
  EXPECT_EQ(text.find("HTTP/1.1 500"), std::string::npos);
}

TEST_F(HttpServerTest, AnswersHttp10InKindAndKeepsItAliveOnlyWhenAsked) {
  auto socket = connect();
  send(socket, "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n");
  const auto text = receive(socket, 2);
  EXPECT_EQ(text.rfind("HTTP/1.0 200", 0), 0U) << text;
  EXPECT_NE(text.find("Connection: keep-alive"), std::string::npos) << text;
  EXPECT_NE(text.find("GET /b"), std::string::npos) << text;
  EXPECT_TRUE(closedByPeer(socket));  // the second request did not ask to keep it
}

TEST_F(HttpServerTest, RefusesAnHttp11RequestWithoutHost) {
  auto socket = connect();
  send(socket, "GET /a HTTP/1.1\r\n\r\n");
  const auto text = receive(socket, 1);
  EXPECT_EQ(text.rfind("HTTP/1.1 400", 0), 0U) << text;
  EXPECT_NE(text.find("Host"), std::string::npos) << text;
}

TEST_F(HttpServerTest, RefusesAnUnknownExpectationWith417) {
  auto socket = connect();
  send(socket, "POST /a HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\nContent-Length: 2\r\n\r\nhi");
  EXPECT_EQ(receive(socket, 1).rfind("HTTP/1.1 417", 0), 0U);
}

TEST_F(HttpServerTest, TellsOpenedClosedAndRefusedConnections) {
  startServer(1, 1h);  // the keep-alive timeout must not free the one slot first
  auto first = connect();
  send(first, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
  receive(first, 1);  // the first connection is open and served
  auto second = connect();
  EXPECT_TRUE(closedByPeer(second));  // over maxConnections: closed at once
  EXPECT_EQ(refused, 1);
  first.close();
  server->stop(1s);
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(closed, 1);
}

}  // namespace
}  // namespace telemetry::collector
