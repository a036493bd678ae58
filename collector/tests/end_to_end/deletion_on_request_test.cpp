// Deletion on request from end to end, the real host against the real collector: reports
// stored, `telemetry disable --delete` while the collector is down, the collector back,
// the daemon restarted; exactly one deletion request arrives, the data is gone, and the
// next enable reports under a new id.
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Process.h>

#include "collector_end_to_end.hpp"
#include "telemetry/storage/database.hpp"

namespace telemetry::collector::test {
namespace {

using namespace std::chrono_literals;

class DeletionOnRequestTest : public CollectorEndToEndTest {
 protected:
  void writeHostConfig() {
    writeFile(dir / "telemetry.yaml",
              "telemetry:\n  initialize: true\n  endpoint: https://127.0.0.1:" +
                  std::to_string(port) + "/pings\n  ca-file: " + (certs / "ca.pem").string() +
                  "\n  request-retries: 0\n  request-timeout: 10s\n  reporting-period: 1h\n"
                  "  hibernate: 0\nstate:\n  path: state.db\n  audit-log: telemetry-sent.jsonl\n"
                  "plugins: { paths: [no-plugins] }\n");
  }

  telemetry::test::Outcome telemetry(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", (dir / "telemetry.yaml").string()});
    return telemetry::test::runProgram(TELEMETRY_CLI, args, dir);
  }

  /// `telemetry run` at debug level, its log appended to daemon.log (the shell execs it).
  Poco::ProcessHandle startDaemon() {
    return Poco::Process::launch(
        "/bin/sh",
        {"-c", "exec \"$0\" \"$@\" 2>>daemon.log", TELEMETRY_CLI, "--log-level", "debug",
         "--config", (dir / "telemetry.yaml").string(), "run"},
        dir.string(), nullptr, nullptr, nullptr);
  }

  static int stopDaemon(const Poco::ProcessHandle& daemon) {
    ::kill(daemon.id(), SIGTERM);
    return daemon.wait();
  }

  std::string metric(const std::string& name) {
    const std::string text = request("GET", "/metrics").body;
    const auto at = text.find("\n" + name + " ");
    if (at == std::string::npos) return "";
    const auto start = at + name.size() + 2;
    return text.substr(start, text.find('\n', start) - start);
  }

  /// True once the collector has carried out `count` deletions; the limit is a hang guard.
  bool waitForDeletions(const std::string& count) {
    for (int i = 0; i < 1200; ++i) {
      if (metric("telemetry_collector_deletions_total") == count) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }

  std::string statusField(const std::string& field) {
    const auto status = telemetry({"status", "--json"});
    EXPECT_EQ(status.exitCode, 0) << status.err;
    auto json = Poco::JSON::Parser().parse(status.out).extract<Poco::JSON::Object::Ptr>();
    if (field == "pending-deletions") {
      return std::to_string(json->getArray(field)->size());
    }
    return json->getValue<std::string>(field);
  }

  /// The audit log's deletion lines: (delivered, body) in order.
  std::vector<std::pair<bool, std::string>> deletionsInAuditLog() {
    std::ifstream in(dir / "telemetry-sent.jsonl");
    std::vector<std::pair<bool, std::string>> lines;
    for (std::string line; std::getline(in, line);) {
      auto entry = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
      if (entry->getValue<std::string>("kind") != "deletion") continue;
      lines.emplace_back(entry->getValue<bool>("delivered"),
                         entry->getObject("report")->getValue<std::string>("installation"));
    }
    return lines;
  }

  std::vector<std::string> storedInstallations() {
    waitUntilDrained();  // a 202 means spooled; the store has it once the drain has run
    auto database = storage::openDatabase((dir / "collector.db").string());
    Poco::Data::Statement select(*database.session);
    select << "SELECT installation FROM reports ORDER BY id", Poco::Data::Keywords::now;
    Poco::Data::RecordSet rows(select);
    std::vector<std::string> ids;
    for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
      ids.push_back(rows.value(0).convert<std::string>());
    }
    return ids;
  }
};

TEST_F(DeletionOnRequestTest, DeletesTheDataOnceAcrossACollectorOutageAndADaemonRestart) {
  start();
  writeHostConfig();
  ASSERT_EQ(telemetry({"send", "--initial"}).exitCode, 0);
  ASSERT_EQ(telemetry({"send"}).exitCode, 0);
  const std::string old = statusField("installation");
  ASSERT_EQ(storedInstallations(), (std::vector<std::string>{old, old}));

  auto daemon = startDaemon();
  const int collectorPort = port;
  collector->stop();  // the collector is down

  const auto disabled = telemetry({"disable", "--delete"});
  EXPECT_EQ(disabled.exitCode, 3) << "not delivered yet: " << disabled.out << disabled.err;
  EXPECT_NE(disabled.out.find("deletion requested for installation " + old), std::string::npos)
      << disabled.out;
  EXPECT_NE(disabled.err.find("not delivered"), std::string::npos) << disabled.err;
  const std::string fresh = statusField("installation");
  EXPECT_NE(fresh, old);
  EXPECT_EQ(statusField("pending-deletions"), "1");
  EXPECT_EQ(stopDaemon(daemon), 0);

  start("", "127.0.0.1:" + std::to_string(collectorPort));  // the collector is back
  ASSERT_EQ(metric("telemetry_collector_deletions_total"), "0");
  daemon = startDaemon();  // restarted: it sends what is pending before anything else
  EXPECT_TRUE(waitForDeletions("1")) << collector->log();
  EXPECT_EQ(stopDaemon(daemon), 0);
  EXPECT_EQ(statusField("pending-deletions"), "0") << "acknowledged: forgotten by the host";
  EXPECT_EQ(metric("telemetry_collector_deletions_total"), "1") << "exactly one arrived";
  EXPECT_TRUE(storedInstallations().empty()) << "the data is gone";

  const auto tries = deletionsInAuditLog();
  ASSERT_GE(tries.size(), 2u);
  EXPECT_EQ(std::count_if(tries.begin(), tries.end(), [](const auto& t) { return t.first; }), 1);
  for (const auto& t : tries) EXPECT_EQ(t.second, old) << "only the old id is ever named";

  // Enabled again: the installation reports under its new id, and only under it.
  ASSERT_EQ(telemetry({"enable"}).exitCode, 0);
  const auto sent = telemetry({"send"});
  ASSERT_EQ(sent.exitCode, 0) << sent.err;
  EXPECT_EQ(storedInstallations(), std::vector<std::string>{fresh});
  EXPECT_EQ(metric("telemetry_collector_deletions_total"), "1");
}

TEST_F(DeletionOnRequestTest, APlainDisableSendsNothing) {
  start();
  writeHostConfig();
  ASSERT_EQ(telemetry({"send", "--initial"}).exitCode, 0);
  const std::string before = metric("telemetry_collector_requests_total{status=\"202\"}");
  ASSERT_EQ(telemetry({"disable"}).exitCode, 0);
  EXPECT_EQ(metric("telemetry_collector_requests_total{status=\"202\"}"), before);
  EXPECT_EQ(metric("telemetry_collector_deletions_total"), "0");
  EXPECT_EQ(storedInstallations().size(), 1u);
}

}  // namespace
}  // namespace telemetry::collector::test
