// Runs the real telemetry-collector executable over HTTPS on loopback.
#include <Poco/Data/Session.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/AcceptCertificateHandler.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <thread>

#include "store/ip_hasher.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/test/service_url.hpp"
#include "telemetry/test/subprocess.hpp"
#include "test_fixtures.hpp"

extern char** environ;

namespace telemetry::collector {
namespace {

namespace fs = std::filesystem;
using test::fixture;
using test::readFile;

void writeFile(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }

int run(const std::string& command) { return std::system(command.c_str()); }

struct Reply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
};

// A collector process with its own directory, stopped and reaped by the destructor.
class CollectorProcess {
 public:
  CollectorProcess(const fs::path& dir, const fs::path& config) : log_(dir / "collector.log") {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const std::string exe = TELEMETRY_COLLECTOR_EXE;
    const std::string configArg = config.string();
    char* argv[] = {const_cast<char*>(exe.c_str()), const_cast<char*>("--config"),
                    const_cast<char*>(configArg.c_str()), nullptr};
    if (posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv, environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~CollectorProcess() { stop(); }

  // Waits for "listening on HOST:PORT"; returns the port, or 0 when the process exited.
  int waitUntilListening() {
    const std::regex listening(R"(listening on [^ ]*:([0-9]+))");
    while (pid_ > 0) {
      std::smatch match;
      const std::string log = readFile(log_);
      if (std::regex_search(log, match, listening)) return std::stoi(match[1]);
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exitStatus_ = status;
        pid_ = -1;
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
  }

  // SIGTERM and reap; returns the exit code (or -1 when killed by a signal).
  int stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      ::waitpid(pid_, &exitStatus_, 0);
      pid_ = -1;
    }
    return WIFEXITED(exitStatus_) ? WEXITSTATUS(exitStatus_) : -1;
  }

  std::string log() const { return readFile(log_); }
  pid_t pid() const { return pid_; }

 private:
  fs::path log_;
  pid_t pid_ = -1;
  int exitStatus_ = 0;
};

class CollectorEndToEndTest : public ::testing::Test {
 protected:
  static inline fs::path certs;

  static void SetUpTestSuite() {
    certs = fs::temp_directory_path() / ("collector-e2e-certs-" + std::to_string(::getpid()));
    fs::create_directories(certs);
    const std::string d = certs.string();
    writeFile(certs / "ext.cnf", "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    const std::string quiet = " >/dev/null 2>&1";
    ASSERT_EQ(run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
                  " -keyout " +
                  d + "/ca.key -out " + d + "/ca.pem -days 2 -subj /CN=test-ca" + quiet),
              0);
    ASSERT_EQ(run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout " +
                  d + "/server.key -out " + d + "/server.csr -subj /CN=127.0.0.1" + quiet),
              0);
    ASSERT_EQ(run("openssl x509 -req -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
                  "/ca.key -CAcreateserial -out " + d + "/server.pem -days 2 -extfile " + d +
                  "/ext.cnf" + quiet),
              0);
    Poco::Net::initializeSSL();
    Poco::Net::Context::Params params;
    params.caLocation = d + "/ca.pem";
    params.verificationMode = Poco::Net::Context::VERIFY_RELAXED;
    params.loadDefaultCAs = false;
    Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
    // A certificate problem must fail the test, never prompt.
    Poco::Net::SSLManager::instance().initializeClient(
        nullptr, new Poco::Net::RejectCertificateHandler(false), context);
  }
  static void TearDownTestSuite() { fs::remove_all(certs); }

  fs::path dir;
  std::unique_ptr<CollectorProcess> collector;
  int port = 0;
  bool plainHttp = false;

  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("collector-e2e-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override {
    collector.reset();
    fs::remove_all(dir);
  }

  // Writes collector.yaml (generous rate limit unless `extra` overrides it) and starts.
  void start(const std::string& extra = "", const std::string& listen = "127.0.0.1:0") {
    std::string yaml =
        "listen: " + listen + "\nstore: collector.db\nsecret-file: collector.secret\n";
    plainHttp = extra.find("plain-http: true") != std::string::npos;
    if (!plainHttp) {
      yaml += "tls: { cert: " + (certs / "server.pem").string() +
              ", key: " + (certs / "server.key").string() + " }\n";
    }
    if (extra.find("rate-limit") == std::string::npos) {
      yaml += "rate-limit: { per-minute: 6000, burst: 1000 }\n";
    }
    writeFile(dir / "collector.yaml", yaml + extra);
    collector = std::make_unique<CollectorProcess>(dir, dir / "collector.yaml");
    port = collector->waitUntilListening();
    ASSERT_NE(port, 0) << collector->log();
  }

  Reply request(const std::string& method, const std::string& path, const std::string& body = "",
                std::map<std::string, std::string> headers = {}) {
    return requestAt(port, method, path, body, std::move(headers));
  }

  Reply requestAt(int targetPort, const std::string& method, const std::string& path,
                  const std::string& body, std::map<std::string, std::string> headers) {
    const auto p = static_cast<Poco::UInt16>(targetPort);
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (plainHttp) {
      session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", p);
    } else {
      session = std::make_unique<Poco::Net::HTTPSClientSession>("127.0.0.1", p);
    }
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    for (const auto& [name, value] : headers) req.set(name, value);
    if (method == "POST") {
      if (!req.has("Content-Type")) req.setContentType("application/json");
      if (!req.getChunkedTransferEncoding() && !req.has("Content-Length")) {
        req.setContentLength(static_cast<std::streamsize>(body.size()));
      }
    }
    session->sendRequest(req) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    Reply reply;
    reply.status = response.getStatus();
    Poco::StreamCopier::copyToString(in, reply.body);
    for (const auto& [name, value] : response) reply.headers[name] = value;
    return reply;
  }

  Reply post(const std::string& body, std::map<std::string, std::string> headers = {}) {
    return request("POST", "/pings", body, std::move(headers));
  }

  static std::string example() { return fixture("spec-example-report.json"); }
  static std::string initial() { return fixture("spec-initial-report.json"); }

  Poco::JSON::Object::Ptr stats() {
    return Poco::JSON::Parser()
        .parse(request("GET", "/api/stats").body)
        .extract<Poco::JSON::Object::Ptr>();
  }

  // Runs `telemetry send ARGS` of the real host, configured to trust this collector's CA.
  telemetry::test::Outcome sendFromHost(const std::vector<std::string>& args = {}) {
    writeFile(dir / "telemetry.yaml",
              "telemetry:\n  initialize: true\n  endpoint: https://127.0.0.1:" +
                  std::to_string(port) + "/pings\n  ca-file: " + (certs / "ca.pem").string() +
                  "\n  request-retries: 0\nplugins: { paths: [no-plugins] }\n");
    std::vector<std::string> command{"--config", (dir / "telemetry.yaml").string(), "send"};
    command.insert(command.end(), args.begin(), args.end());
    return telemetry::test::runProgram(TELEMETRY_CLI, command, dir);
  }

  std::int64_t storedRows() { return stats()->getValue<std::int64_t>("reports"); }
};

TEST_F(CollectorEndToEndTest, LogsTheRealPortWhenListeningOnPortZero) {
  start();
  EXPECT_GT(port, 0);
  EXPECT_NE(collector->log().find("[telemetry.collector] [info] listening on 127.0.0.1:" +
                                  std::to_string(port)),
            std::string::npos);
}

TEST_F(CollectorEndToEndTest, StoresTheSpecExampleReport) {
  start();
  const auto reply = post(example(), {{"Idempotency-Key", "0b8f0e64-4d0e-4a7c-9d53-2f4f8e2a5b11"}});
  EXPECT_EQ(reply.status, 202) << reply.body;
  EXPECT_EQ(storedRows(), 1);
}

TEST_F(CollectorEndToEndTest, AnswersARepeatedIdempotencyKeyAsDuplicate) {
  start();
  const std::map<std::string, std::string> key{{"Idempotency-Key", "report-1"}};
  ASSERT_EQ(post(example(), key).status, 202);
  const auto again = post(example(), key);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, R"({"duplicate":true})");
  EXPECT_EQ(storedRows(), 1);
}

TEST_F(CollectorEndToEndTest, AnswersARepeatedIdempotencyKeyWithAnotherBody422) {
  start();
  const std::map<std::string, std::string> key{{"Idempotency-Key", "report-1"}};
  ASSERT_EQ(post(example(), key).status, 202);
  // Whitespace is not a different report: the payload compared is the compacted JSON.
  EXPECT_EQ(post(" " + example() + "\n", key).status, 200);
  std::string changed = example();
  changed.replace(changed.find("\"enterprise\""), 12, "\"community\"");
  const auto reused = post(changed, key);
  EXPECT_EQ(reused.status, 422);
  EXPECT_NE(reused.body.find("used before for a different report"), std::string::npos)
      << reused.body;
  EXPECT_EQ(storedRows(), 1);
  EXPECT_NE(request("GET", "/metrics")
                .body.find("telemetry_collector_rejected_total{reason=\"key_reused\"} 1\n"),
            std::string::npos);
}

TEST_F(CollectorEndToEndTest, AnswersTheSamePayloadWithoutKeyAsDuplicate) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  const auto again = post(example());
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, R"({"duplicate":true})");
  EXPECT_EQ(storedRows(), 1);
}

TEST_F(CollectorEndToEndTest, StoresTheInitialReportOnce) {
  start();
  ASSERT_EQ(post(initial(), {{"Idempotency-Key", "a"}}).status, 202);
  EXPECT_EQ(post(initial(), {{"Idempotency-Key", "b"}}).status, 200);
  EXPECT_EQ(storedRows(), 1);
}

TEST_F(CollectorEndToEndTest, RejectsANonJsonContentTypeWith415) {
  start();
  EXPECT_EQ(post(example(), {{"Content-Type", "text/plain"}}).status, 415);
}

TEST_F(CollectorEndToEndTest, RejectsAnInvalidReportWith400NamingTheField) {
  start();
  std::string report = example();
  report.replace(report.find("\"enterprise\""), 12, "\"premium\"");
  const auto reply = post(report);
  EXPECT_EQ(reply.status, 400);
  EXPECT_NE(reply.body.find(R"("field":"/product/edition")"), std::string::npos) << reply.body;
}

TEST_F(CollectorEndToEndTest, RejectsMalformedJsonWith400) {
  start();
  EXPECT_EQ(post("{\"installation\": ").status, 400);
}

TEST_F(CollectorEndToEndTest, RejectsADeclaredOversizedBodyWith413WithoutReadingIt) {
  start();
  // Only the headers are sent: the answer must come without the 10 MiB body.
  const auto reply = request("POST", "/pings", "", {{"Content-Length", "10485760"}});
  EXPECT_EQ(reply.status, 413);
}

TEST_F(CollectorEndToEndTest, RejectsAnOversizedChunkedBodyWith413) {
  start("max-body: 1KiB\n");
  const auto reply =
      request("POST", "/pings", std::string(1500, ' '), {{"Transfer-Encoding", "chunked"}});
  EXPECT_EQ(reply.status, 413);
}

TEST_F(CollectorEndToEndTest, Answers429WithRetryAfterOverTheRateLimit) {
  start("rate-limit: { per-minute: 1, burst: 2 }\n");
  EXPECT_EQ(post("{}").status, 400);
  EXPECT_EQ(post("{}").status, 400);
  const auto limited = post("{}");
  EXPECT_EQ(limited.status, 429);
  ASSERT_TRUE(limited.headers.contains("Retry-After"));
  EXPECT_GE(std::stoi(limited.headers.at("Retry-After")), 1);
}

TEST_F(CollectorEndToEndTest, Answers404And405) {
  start();
  EXPECT_EQ(request("GET", "/nothing").status, 404);
  EXPECT_EQ(request("GET", "/pings").status, 405);
}

TEST_F(CollectorEndToEndTest, ReportsHealthyWhenTheStoreIsWritable) {
  start();
  EXPECT_EQ(request("GET", "/healthz").status, 200);
}

// Until issue 22 no test ever saw the 503.
TEST_F(CollectorEndToEndTest, ReportsUnhealthyWhileTheStoreCannotBeWritten) {
  start();
  // Another process holds SQLite's write lock: the probe waits for it (the store waits up to
  // 30 s for a lock) and /healthz gives up after its 5 s.
  auto blocker = storage::openDatabase((dir / "collector.db").string()).session;
  *blocker << "BEGIN IMMEDIATE", Poco::Data::Keywords::now;
  const auto unhealthy = request("GET", "/healthz");
  EXPECT_EQ(unhealthy.status, 503);
  EXPECT_NE(unhealthy.body.find("the store does not accept writes"), std::string::npos)
      << unhealthy.body;
  *blocker << "ROLLBACK", Poco::Data::Keywords::now;
  EXPECT_EQ(request("GET", "/healthz").status, 200);
}

TEST_F(CollectorEndToEndTest, ShowsStoredReportsOnTheDashboardAndInStats) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  const auto stats = request("GET", "/api/stats");
  EXPECT_EQ(stats.status, 200);
  EXPECT_NE(stats.body.find(R"("vendor": "Wildfly")"), std::string::npos) << stats.body;
  const auto page = request("GET", "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Wildfly"), std::string::npos);
  EXPECT_NE(page.body.find("<svg"), std::string::npos);
}

TEST_F(CollectorEndToEndTest, CountsStatusesInMetrics) {
  start();
  post(example());
  post("{}");
  const auto metrics = request("GET", "/metrics").body;
  EXPECT_NE(metrics.find("telemetry_collector_requests_total{status=\"202\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.find("telemetry_collector_requests_total{status=\"400\"} 1"),
            std::string::npos);
  EXPECT_NE(metrics.find("telemetry_collector_reports_stored_total 1"), std::string::npos);
  EXPECT_NE(metrics.find("telemetry_collector_store_commits_total 1"), std::string::npos);
  // This request's own connection is open while the metrics are rendered (earlier ones may
  // still be closing).
  EXPECT_TRUE(
      std::regex_search(metrics, std::regex("\ntelemetry_collector_connections_open [1-9]")))
      << metrics;
  EXPECT_NE(metrics.find("telemetry_collector_connections_refused_total 0"), std::string::npos);
}

// Until issue 22 no test looked at these counters.
TEST_F(CollectorEndToEndTest, CountsDuplicatesRejectionsAndRateLimitedReportsInMetrics) {
  start("rate-limit: { per-minute: 1, burst: 6 }\n");
  ASSERT_EQ(post(example()).status, 202);
  ASSERT_EQ(post(example()).status, 200);
  ASSERT_EQ(post("{}").status, 400);
  ASSERT_EQ(post("not json").status, 400);
  ASSERT_EQ(post(example(), {{"Content-Type", "text/plain"}}).status, 415);
  ASSERT_EQ(request("POST", "/pings", "", {{"Content-Length", "10485760"}}).status, 413);
  ASSERT_EQ(post(example()).status, 429);  // the burst of 6 is spent
  const auto metrics = request("GET", "/metrics").body;
  for (const char* line :
       {"telemetry_collector_duplicates_total 1\n", "telemetry_collector_rate_limited_total 1\n",
        "telemetry_collector_reports_stored_total 1\n",
        "telemetry_collector_rejected_total{reason=\"invalid\"} 1\n",
        "telemetry_collector_rejected_total{reason=\"malformed\"} 1\n",
        "telemetry_collector_rejected_total{reason=\"not_json\"} 1\n",
        "telemetry_collector_rejected_total{reason=\"too_large\"} 1\n",
        "telemetry_collector_rejected_total{reason=\"overloaded\"} 0\n",
        "telemetry_collector_rejected_total{reason=\"key_reused\"} 0\n"}) {
    EXPECT_NE(metrics.find(line), std::string::npos) << line << metrics;
  }
}

// Reads until the peer closes; false when it still says nothing after `wait`.
bool closedByPeer(Poco::Net::StreamSocket& socket, std::chrono::seconds wait) {
  socket.setReceiveTimeout(Poco::Timespan(static_cast<long>(wait.count()), 0));
  char byte = 0;
  try {
    int received = 0;
    while ((received = socket.receiveBytes(&byte, 1)) > 0) {
    }
    return received == 0;  // negative: nothing arrived within the wait
  } catch (const Poco::TimeoutException&) {
    return false;
  } catch (const Poco::Net::NetException&) {  // a reset, or TLS ended without close_notify
    return true;
  }
}

TEST_F(CollectorEndToEndTest, ClosesConnectionsOverTheConfiguredLimit) {
  // A long request timeout: only the limit may close the second connection.
  start("connections: { max: 1, request-timeout: 1h }\n");
  Poco::Net::SocketAddress address("127.0.0.1", static_cast<Poco::UInt16>(port));
  {
    // A finished handshake proves the server runs the first connection.
    Poco::Net::SecureStreamSocket first(address);
    first.completeHandshake();
    Poco::Net::StreamSocket second(address);
    EXPECT_TRUE(closedByPeer(second, std::chrono::seconds(20)));
  }
  // Once the first is gone a request gets through again; the server may take a moment to see
  // the close.
  std::string metrics;
  int refusedAttempts = 0;
  while (metrics.empty() && refusedAttempts < 100) {
    try {
      metrics = request("GET", "/metrics").body;
    } catch (const Poco::Exception&) {
      ++refusedAttempts;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  EXPECT_NE(metrics.find("telemetry_collector_connections_refused_total " +
                         std::to_string(1 + refusedAttempts) + "\n"),
            std::string::npos)
      << metrics;
}

TEST_F(CollectorEndToEndTest, AppliesTheConfiguredConnectionLimits) {
  start("connections: { max: 7, request-timeout: 1s, keep-alive-timeout: 2s, threads: 3 }\n");
  EXPECT_NE(collector->log().find("connections: at most 7, 1s to send a request, 2s "
                                  "keep-alive, 3 network threads"),
            std::string::npos)
      << collector->log();

  int networkThreads = 0;
  for (const auto& task :
       fs::directory_iterator("/proc/" + std::to_string(collector->pid()) + "/task")) {
    if (readFile(task.path() / "comm") == "http-network\n") ++networkThreads;
  }
  EXPECT_EQ(networkThreads, 3);

  // A hang guard well above the 1s configured and below the 15 s default.
  Poco::Net::StreamSocket silent(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  EXPECT_TRUE(closedByPeer(silent, std::chrono::seconds(10)));
}

TEST_F(CollectorEndToEndTest, WarnsWhenTheConnectionLimitExceedsTheOpenFileLimit) {
  rlimit files{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &files), 0);
  if (files.rlim_max == RLIM_INFINITY || files.rlim_max >= 4000000000u) {
    GTEST_SKIP() << "no finite open-file limit to exceed";
  }
  const auto max = std::to_string(files.rlim_max + 1);
  start("connections: { max: " + max + " }\n");
  EXPECT_NE(collector->log().find("connections.max is " + max + " but the open-file limit is " +
                                  std::to_string(files.rlim_max)),
            std::string::npos)
      << collector->log();
}

TEST_F(CollectorEndToEndTest, DeletesReportsPastTheRetentionAndCountsThem) {
  start();
  ASSERT_EQ(post(example(), {{"Idempotency-Key", "old"}}).status, 202);
  ASSERT_EQ(post(example(), {{"Idempotency-Key", "new"}}).status, 202);
  EXPECT_EQ(collector->stop(), 0);
  collector.reset();
  {
    // As if the first report had arrived 401 days ago.
    auto store = storage::openDatabase((dir / "collector.db").string()).session;
    *store << "UPDATE reports SET received_at = received_at - 401 * 86400"
              " WHERE idempotency_key = 'old'",
        Poco::Data::Keywords::now;
  }
  start("retention: 400d\n");
  EXPECT_NE(collector->log().find("retention: reports are deleted 400d after they were received"),
            std::string::npos)
      << collector->log();
  // The first pass runs at start on the writer's schedule, and logs once it is done.
  const std::string deleted = "retention: deleted 1 report(s) received before ";
  for (int i = 0; i < 600 && collector->log().find(deleted) == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_NE(collector->log().find(deleted), std::string::npos) << collector->log();
  EXPECT_EQ(storedRows(), 1);
  EXPECT_EQ(post(example(), {{"Idempotency-Key", "new"}}).status, 200);
  EXPECT_NE(request("GET", "/metrics").body.find("telemetry_collector_reports_expired_total 1\n"),
            std::string::npos);
}

TEST_F(CollectorEndToEndTest, ForgetsAnInstallationWhileRunning) {
  start();
  ASSERT_EQ(post(example()).status, 202);
  ASSERT_EQ(post(initial()).status, 202);
  auto forget = [&](const std::string& config) {
    return telemetry::test::runProgram(
        TELEMETRY_COLLECTOR_EXE,
        {"forget", "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3", "--config", config}, dir);
  };
  const auto forgotten = forget((dir / "collector.yaml").string());
  EXPECT_EQ(forgotten.exitCode, 0) << forgotten.err;
  EXPECT_EQ(forgotten.out,
            "deleted 1 report(s) of installation 8343cc7a-8ad1-42d4-97d2-43452c0bdfa3\n");
  EXPECT_EQ(storedRows(), 1) << "the other installation stays";
  EXPECT_EQ(stats()->getObject("installations")->getValue<std::int64_t>("total"), 1);

  const auto again = forget((dir / "collector.yaml").string());
  EXPECT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(again.out,
            "no report of installation 8343cc7a-8ad1-42d4-97d2-43452c0bdfa3 is stored\n");

  const auto noId = telemetry::test::runProgram(
      TELEMETRY_COLLECTOR_EXE, {"forget", "--config", (dir / "collector.yaml").string()}, dir);
  EXPECT_EQ(noId.exitCode, 2) << noId.err;
  const auto upper = telemetry::test::runProgram(TELEMETRY_COLLECTOR_EXE,
                                                 {"--config", (dir / "collector.yaml").string(),
                                                  "forget", "8343CC7A-8AD1-42D4-97D2-43452C0BDFA3"},
                                                 dir);
  EXPECT_EQ(upper.exitCode, 2);
  EXPECT_NE(upper.err.find("is not an installation id"), std::string::npos) << upper.err;

  // A '/' in the password ended Poco's host part early, and its message quoted the password.
  writeFile(dir / "postgres.yaml",
            "plain-http: true\nstore: postgresql://app:s3cr3t/x@127.0.0.1/telemetry\n");
  const auto badUrl = forget((dir / "postgres.yaml").string());
  EXPECT_EQ(badUrl.exitCode, 1);
  EXPECT_EQ(badUrl.err.find("s3cr3t"), std::string::npos) << badUrl.err;
  EXPECT_NE(badUrl.err.find("postgresql://app:***@127.0.0.1/telemetry"), std::string::npos)
      << badUrl.err;

  writeFile(dir / "elsewhere.yaml", "plain-http: true\nstore: elsewhere/collector.db\n");
  const auto missing = forget((dir / "elsewhere.yaml").string());
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_EQ(missing.err, "telemetry-collector: cannot forget: no store at " +
                             (dir / "elsewhere/collector.db").string() + "\n");
}

TEST_F(CollectorEndToEndTest, KeepsDataAcrossARestart) {
  start();
  ASSERT_EQ(post(example(), {{"Idempotency-Key", "k"}}).status, 202);
  EXPECT_EQ(collector->stop(), 0);
  collector.reset();
  start();
  EXPECT_EQ(storedRows(), 1);
  EXPECT_EQ(post(example(), {{"Idempotency-Key", "k"}}).status, 200);
}

TEST_F(CollectorEndToEndTest, StopsCleanlyOnSigterm) {
  start();
  EXPECT_EQ(collector->stop(), 0);
  EXPECT_NE(collector->log().find("stopped"), std::string::npos);
}

// Found by review: a connection still in its TLS handshake is not "idle" to stop(), so one
// that connected and sent nothing (a port scan, a load balancer's TCP check) held SIGTERM
// for the whole handshake timeout (15 s).
TEST_F(CollectorEndToEndTest, StopsAtOnceWithAConnectionThatNeverStartedTls) {
  // An hour to hand-shake: only stop() closing it as idle ends the silent connection before
  // the drain (15 s) runs out, after which the collector logs that it closed busy ones.
  start("connections: { request-timeout: 1h }\n");
  Poco::Net::StreamSocket silent(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  // One keep-alive connection asks until it sees itself and the silent one open.
  Poco::Net::HTTPSClientSession probe("127.0.0.1", static_cast<Poco::UInt16>(port));
  probe.setKeepAlive(true);
  auto openConnections = [&] {
    Poco::Net::HTTPRequest metrics("GET", "/metrics", Poco::Net::HTTPMessage::HTTP_1_1);
    metrics.setKeepAlive(true);
    probe.sendRequest(metrics);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(probe.receiveResponse(response), body);
    std::smatch open;
    std::regex_search(body, open, std::regex("\ntelemetry_collector_connections_open ([0-9]+)"));
    return open.empty() ? 0 : std::stoi(open[1]);
  };
  for (int i = 0; i < 600 && openConnections() < 2; ++i) {  // a hang guard
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(openConnections(), 2) << "the silent connection was never accepted";
  EXPECT_EQ(collector->stop(), 0);
  EXPECT_EQ(collector->log().find("still busy"), std::string::npos) << collector->log();
  EXPECT_NE(collector->log().find("stopped"), std::string::npos) << collector->log();
}

TEST_F(CollectorEndToEndTest, NeverStoresOrLogsTheClientIp) {
  // Listening on the wildcard address keeps "127.0.0.1" out of the "listening on" line.
  start("logging: { level: trace }\n", "0.0.0.0:0");
  ASSERT_EQ(post(example()).status, 202);
  ASSERT_EQ(post(initial()).status, 202);
  post("{}");
  post("not json");
  EXPECT_EQ(collector->stop(), 0);
  std::string secret = readFile(dir / "collector.secret");
  secret.erase(secret.find_last_not_of('\n') + 1);
  const std::string expectedHash = IpHasher(secret).hash("127.0.0.1");
  std::string stored;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().filename().string().starts_with("collector.db")) {
      stored += readFile(entry.path());
    }
  }
  EXPECT_NE(stored.find(expectedHash), std::string::npos) << "the IP hash is what is stored";
  EXPECT_EQ(stored.find("127.0.0.1"), std::string::npos);
  EXPECT_EQ(collector->log().find("127.0.0.1"), std::string::npos) << collector->log();
}

TEST_F(CollectorEndToEndTest, BelievesForwardedForOnlyFromATrustedProxy) {
  start(
      "plain-http: true\ntrusted-proxies: [127.0.0.1]\nrate-limit: { per-minute: 1, burst: 1 }\n");
  EXPECT_EQ(post("{}", {{"X-Forwarded-For", "198.51.100.1"}}).status, 400);
  EXPECT_EQ(post("{}", {{"X-Forwarded-For", "198.51.100.2"}}).status, 400);
  EXPECT_EQ(post("{}", {{"X-Forwarded-For", "198.51.100.1"}}).status, 429);
}

// Found by an outside trial: behind HAProxy (`option forwardfor`) the proxy appends its own
// X-Forwarded-For line; reading only the first line let a client pick its own address and
// walk past the rate limit.
TEST_F(CollectorEndToEndTest, CombinesEveryForwardedForLineBeforePickingTheClient) {
  start(
      "plain-http: true\ntrusted-proxies: [127.0.0.1]\nrate-limit: { per-minute: 1, burst: 1 }\n");
  auto postWithLines = [&](const std::string& chosenByClient) {
    Poco::Net::StreamSocket socket(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    socket.setReceiveTimeout(Poco::Timespan(30, 0));
    const std::string request =
        "POST /pings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 2\r\nConnection: close\r\nX-Forwarded-For: " +
        chosenByClient + "\r\nX-Forwarded-For: 203.0.113.7\r\n\r\n{}";
    socket.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string answer;
    char buffer[4096];
    for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
    return answer.substr(0, answer.find("\r\n"));
  };
  EXPECT_EQ(postWithLines("198.51.100.1"), "HTTP/1.1 400 Bad Request");
  EXPECT_EQ(postWithLines("198.51.100.2"), "HTTP/1.1 429 Too Many Requests");
}

TEST_F(CollectorEndToEndTest, IgnoresForwardedForFromAnUntrustedPeer) {
  start("plain-http: true\nrate-limit: { per-minute: 1, burst: 1 }\n");
  EXPECT_EQ(post("{}", {{"X-Forwarded-For", "198.51.100.1"}}).status, 400);
  EXPECT_EQ(post("{}", {{"X-Forwarded-For", "198.51.100.2"}}).status, 429);
}

TEST_F(CollectorEndToEndTest, StoresTheInitialAndFullReportTelemetrySendDelivers) {
  start();
  const auto initialSend = sendFromHost({"--initial"});
  ASSERT_EQ(initialSend.exitCode, 0) << initialSend.err;
  const auto fullSend = sendFromHost();
  ASSERT_EQ(fullSend.exitCode, 0) << fullSend.err;
  const auto figures = stats();
  EXPECT_EQ(figures->getObject("installations")->getValue<int>("total"), 1);
  EXPECT_EQ(figures->getObject("installations")->getValue<int>("initial-only"), 0);
  EXPECT_EQ(figures->getValue<int>("reports"), 2);
}

TEST_F(CollectorEndToEndTest, StoresEveryTelemetrySendAsANewReport) {
  start();
  // The host gives each report its own Idempotency-Key: sending again is a new report.
  for (int i = 0; i < 2; ++i) ASSERT_EQ(sendFromHost().exitCode, 0);
  EXPECT_EQ(storedRows(), 2);
  EXPECT_EQ(stats()->getObject("installations")->getValue<int>("total"), 1);
}

// Needs a PostgreSQL database it may empty: the ctest `postgres` fixture's, or
// TELEMETRY_COLLECTOR_TEST_POSTGRES_URL=postgresql://... when run by hand.
TEST_F(CollectorEndToEndTest, TwoInstancesOnOnePostgresqlStoreKeepOneRow) {
  const char* fromEnvironment = std::getenv("TELEMETRY_COLLECTOR_TEST_POSTGRES_URL");
  const std::string database = fromEnvironment != nullptr && *fromEnvironment != '\0'
                                   ? std::string(fromEnvironment)
                                   : telemetry::test::serviceUrl("postgres");
  const char* url = database.c_str();
  const std::string psql = std::string("psql -q '") + url +
                           "' -c 'DROP TABLE IF EXISTS reports, "
                           "store_health, schema_migrations' >/dev/null 2>&1";
  ASSERT_EQ(run(psql), 0);
  const std::string store = std::string("store: ") + url + "\n";
  start(store);
  const int firstPort = port;
  auto first = std::move(collector);
  fs::rename(dir / "collector.log", dir / "first.log");
  start(store);
  const int secondPort = port;
  std::vector<int> statuses(8);
  std::vector<std::thread> senders;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    senders.emplace_back([&, i] {
      statuses[i] = requestAt(i % 2 == 0 ? firstPort : secondPort, "POST", "/pings", example(),
                              {{"Idempotency-Key", "shared-key"}})
                        .status;
    });
  }
  for (auto& sender : senders) sender.join();
  std::string all;
  for (int status : statuses) all += std::to_string(status) + " ";
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 202), 1) << all;
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 7) << all;
  EXPECT_EQ(storedRows(), 1);
  first->stop();
}

TEST_F(CollectorEndToEndTest, Exits2NamingAnUnknownKey) {
  writeFile(dir / "collector.yaml", "plain-http: true\nrate-limt: { burst: 1 }\n");
  CollectorProcess process(dir, dir / "collector.yaml");
  EXPECT_EQ(process.waitUntilListening(), 0);
  EXPECT_EQ(process.stop(), 2);
  EXPECT_NE(process.log().find("collector.yaml:2: unknown key 'rate-limt' (did you mean "
                               "'rate-limit'?)"),
            std::string::npos)
      << process.log();
}

}  // namespace
}  // namespace telemetry::collector
