// The end-to-end fixture: runs the real telemetry-collector executable over HTTPS on
// loopback, each test in a directory of its own; the tests beside it share it.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "telemetry/test/subprocess.hpp"
#include "test_fixtures.hpp"

extern char** environ;

namespace telemetry::collector::test {

namespace fs = std::filesystem;
inline void writeFile(const fs::path& file, const std::string& text) {
  std::ofstream(file) << text;
}

inline int run(const std::string& command) { return std::system(command.c_str()); }

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
    std::string yaml = "listen: " + listen + "\nsecret-file: collector.secret\n";
    // Once only: YAML's first "store" won over the one in `extra`, so tests meant for
    // PostgreSQL ran on SQLite.
    if (extra.find("store: ") == std::string::npos) yaml += "store: collector.db\n";
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

  // A counter or gauge of /metrics at `targetPort`; -1 when it is missing.
  std::int64_t metric(const std::string& name, int targetPort) {
    const std::string body = requestAt(targetPort, "GET", "/metrics", "", {}).body;
    const std::size_t at = body.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stoll(body.substr(at + name.size() + 2));
  }

  // Reports answered 202 are stored behind the answer: waits until the spool's drain has
  // stored every one of them (up to a minute, so a broken drain fails instead of hanging).
  void waitUntilDrained(int targetPort = 0) {
    if (targetPort == 0) targetPort = port;
    for (int i = 0; i < 600; ++i) {
      // Also what a restart found in the spool: no 202 of this process counts those.
      if (metric("telemetry_collector_spool_drained_total", targetPort) >=
              metric("telemetry_collector_reports_stored_total", targetPort) &&
          metric("telemetry_collector_spool_unstored_bytes", targetPort) == 0) {
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "the spool was not drained within a minute";
  }

  Poco::JSON::Object::Ptr stats() {
    waitUntilDrained();
    return Poco::JSON::Parser()
        .parse(request("GET", "/api/stats").body)
        .extract<Poco::JSON::Object::Ptr>();
  }

  // Runs `telemetry send ARGS` of the real host, configured to trust this collector's CA;
  // `telemetryKeys` ("  compress: true\n") go into its telemetry section.
  telemetry::test::Outcome sendFromHost(const std::vector<std::string>& args = {},
                                        const std::string& telemetryKeys = "") {
    writeFile(
        dir / "telemetry.yaml",
        "telemetry:\n  initialize: true\n  endpoint: https://127.0.0.1:" + std::to_string(port) +
            "/pings\n  ca-file: " + (certs / "ca.pem").string() + "\n  request-retries: 0\n" +
            telemetryKeys + "plugins: { paths: [no-plugins] }\n");
    std::vector<std::string> command{"--config", (dir / "telemetry.yaml").string(), "send"};
    command.insert(command.end(), args.begin(), args.end());
    return telemetry::test::runProgram(TELEMETRY_CLI, command, dir);
  }

  // Once every report answered 202 is in the store.
  std::int64_t storedRows() { return stats()->getValue<std::int64_t>("reports"); }
};

}  // namespace telemetry::collector::test
