// Offline installations from end to end, the real host and the real collector: `telemetry
// send --to FILE` on a host that cannot reach the collector, `telemetry-collector import
// FILE` on the collector's side; the reports are stored exactly once, without an IP hash,
// and the host counts them as sent.
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <sys/stat.h>

#include "collector_end_to_end.hpp"
#include "telemetry/storage/database.hpp"

namespace telemetry::collector::test {
namespace {

class OfflineImportTest : public CollectorEndToEndTest {
 protected:
  // The endpoint is a closed port: anything the host tried to send would fail.
  void writeHostConfig() {
    writeFile(dir / "telemetry.yaml",
              "telemetry:\n  initialize: true\n  endpoint: https://127.0.0.1:9/pings\n"
              "  request-retries: 0\n  request-timeout: 2s\n  reporting-period: 1h\n"
              "  hibernate: 0\nstate:\n  path: state.db\n  audit-log: telemetry-sent.jsonl\n"
              "plugins: { paths: [no-plugins] }\n");
  }

  telemetry::test::Outcome telemetry(std::vector<std::string> args,
                                     const std::map<std::string, std::string>& env = {}) {
    args.insert(args.begin(), {"--config", (dir / "telemetry.yaml").string()});
    return telemetry::test::runProgram(TELEMETRY_CLI, args, dir, "", env);
  }

  telemetry::test::Outcome importFiles(std::vector<std::string> files) {
    files.insert(files.begin(), {"--config", (dir / "collector.yaml").string(), "import"});
    return telemetry::test::runProgram(TELEMETRY_COLLECTOR_EXE, files, dir);
  }

  /// (installation, kind, ip_hash, idempotency_key) of every stored report, in order.
  std::vector<std::vector<std::string>> storedReports() {
    auto database = storage::openDatabase((dir / "collector.db").string());
    Poco::Data::Statement select(*database.session);
    select << "SELECT installation, kind, ip_hash, idempotency_key FROM reports ORDER BY id",
        Poco::Data::Keywords::now;
    Poco::Data::RecordSet rows(select);
    std::vector<std::vector<std::string>> reports;
    for (bool more = rows.moveFirst(); more; more = rows.moveNext()) {
      reports.push_back({rows.value(0).convert<std::string>(), rows.value(1).convert<std::string>(),
                         rows.value(2).convert<std::string>(),
                         rows.value(3).convert<std::string>()});
    }
    return reports;
  }

  /// The file's lines, parsed.
  std::vector<Poco::JSON::Object::Ptr> linesOf(const fs::path& file) {
    std::ifstream in(file);
    std::vector<Poco::JSON::Object::Ptr> lines;
    for (std::string line; std::getline(in, line);) {
      lines.push_back(Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>());
    }
    return lines;
  }

  static std::optional<int> commandCount(const Poco::JSON::Object::Ptr& line,
                                         const std::string& command) {
    auto commands = line->getObject("report")
                        ->getObject("product")
                        ->getObject("internals")
                        ->getObject("commands");
    if (!commands->has(command)) return std::nullopt;
    return commands->getObject(command)->getValue<int>("count");
  }
};

TEST_F(OfflineImportTest, SendToFileThenImportStoresEachReportOnceAndCountsThemAsSent) {
  start();
  writeHostConfig();
  ASSERT_EQ(telemetry({"usage", "command", "X", "5"}).exitCode, 0);

  const auto sent = telemetry({"send", "--to", "reports.jsonl"});
  ASSERT_EQ(sent.exitCode, 0) << sent.out << sent.err;
  EXPECT_NE(sent.out.find("wrote 2 report(s) to reports.jsonl"), std::string::npos) << sent.out;
  EXPECT_NE(sent.out.find("telemetry-collector import"), std::string::npos) << sent.out;
  struct stat info {};
  ASSERT_EQ(::stat((dir / "reports.jsonl").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const auto lines = linesOf(dir / "reports.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]->getValue<std::string>("kind"), "initial");
  EXPECT_EQ(lines[1]->getValue<std::string>("kind"), "full");
  EXPECT_EQ(commandCount(lines[1], "X"), 5);
  const std::string installation =
      lines[1]->getObject("report")->getValue<std::string>("installation");

  // The audit log names the file as where the reports went.
  std::ifstream audit(dir / "telemetry-sent.jsonl");
  int toFile = 0;
  for (std::string line; std::getline(audit, line);) {
    auto entry = Poco::JSON::Parser().parse(line).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(entry->getValue<std::string>("endpoint"), "file:" + (dir / "reports.jsonl").string());
    EXPECT_TRUE(entry->getValue<bool>("delivered"));
    ++toFile;
  }
  EXPECT_EQ(toFile, 2);

  const auto imported = importFiles({"reports.jsonl"});
  ASSERT_EQ(imported.exitCode, 0) << imported.out << imported.err;
  EXPECT_EQ(imported.out, "reports.jsonl: 2 stored, 0 duplicate(s), 0 refused\n");
  auto stored = storedReports();
  ASSERT_EQ(stored.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(stored[i][0], installation);
    EXPECT_EQ(stored[i][2], "") << "no IP at all";
    EXPECT_EQ(stored[i][3], lines[i]->getValue<std::string>("idempotency-key"));
  }
  EXPECT_EQ(stored[0][1], "initial");

  const auto again = importFiles({"reports.jsonl"});
  EXPECT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(again.out, "reports.jsonl: 0 stored, 2 duplicate(s), 0 refused\n");
  EXPECT_EQ(storedReports().size(), 2u) << "nothing stored twice";

  // Counted as sent: the next file carries only what was counted since, and no initial.
  const auto exists = telemetry({"send", "--to", "reports.jsonl"});
  EXPECT_EQ(exists.exitCode, 2) << exists.err;
  EXPECT_NE(exists.err.find("exists"), std::string::npos) << exists.err;
  ASSERT_EQ(telemetry({"usage", "command", "Y", "2"}).exitCode, 0);
  ASSERT_EQ(telemetry({"send", "--to", "reports.jsonl", "--force"}).exitCode, 0);
  const auto next = linesOf(dir / "reports.jsonl");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0]->getValue<std::string>("kind"), "full");
  EXPECT_EQ(commandCount(next[0], "X").value_or(0), 0) << "X was subtracted";
  EXPECT_EQ(commandCount(next[0], "Y"), 2);
  const auto second = importFiles({"reports.jsonl"});
  EXPECT_EQ(second.out, "reports.jsonl: 1 stored, 0 duplicate(s), 0 refused\n") << second.err;
  EXPECT_EQ(storedReports().size(), 3u);
}

TEST_F(OfflineImportTest, SendToFileRespectsTheOptInAndWritesNothingWhenForbidden) {
  start();
  writeHostConfig();
  auto refused = telemetry({"send", "--to", "dnt.jsonl"}, {{"DO_NOT_TRACK", "1"}});
  EXPECT_EQ(refused.exitCode, 4) << refused.err;
  EXPECT_FALSE(fs::exists(dir / "dnt.jsonl"));

  ASSERT_EQ(telemetry({"disable"}).exitCode, 0);
  refused = telemetry({"send", "--to", "disabled.jsonl"});
  EXPECT_EQ(refused.exitCode, 4) << refused.err;
  EXPECT_NE(refused.err.find("disabled"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(dir / "disabled.jsonl"));

  ASSERT_EQ(telemetry({"enable"}).exitCode, 0);
  writeFile(dir / "telemetry.yaml",
            "telemetry:\n  initialize: true\n  reporter-activate: false\n"
            "  endpoint: https://127.0.0.1:9/pings\nstate:\n  path: state.db\n"
            "plugins: { paths: [no-plugins] }\n");
  refused = telemetry({"send", "--to", "inactive.jsonl"});
  EXPECT_EQ(refused.exitCode, 4) << refused.err;
  EXPECT_FALSE(fs::exists(dir / "inactive.jsonl"));
}

TEST_F(OfflineImportTest, ImportNamesTheFileAndLineOfEveryRefusedReportAndStoresTheRest) {
  start();
  writeHostConfig();
  ASSERT_EQ(telemetry({"send", "--to", "good.jsonl"}).exitCode, 0);
  std::ifstream good(dir / "good.jsonl");
  std::string initial, full;
  std::getline(good, initial);
  std::getline(good, full);
  // A garbage line between two good ones, and a last line cut short.
  writeFile(dir / "mixed.jsonl", initial + "\nnot json\n" + full.substr(0, full.size() / 2));
  const auto imported = importFiles({"mixed.jsonl", "missing.jsonl"});
  EXPECT_EQ(imported.exitCode, 1);
  EXPECT_EQ(imported.out, "mixed.jsonl: 1 stored, 0 duplicate(s), 2 refused\n") << imported.err;
  EXPECT_NE(imported.err.find("mixed.jsonl:2: refused: not valid JSON"), std::string::npos)
      << imported.err;
  EXPECT_NE(imported.err.find("mixed.jsonl:3: refused: the file ends inside this line"),
            std::string::npos)
      << imported.err;
  EXPECT_NE(imported.err.find("missing.jsonl: cannot be read"), std::string::npos) << imported.err;
  EXPECT_EQ(storedReports().size(), 1u) << "nothing half stored";
}

TEST_F(OfflineImportTest, AnUploadNeedsTheAdminTokenAndIsStoredOnce) {
  const std::string token(64, 'a');
  writeFile(dir / "admin.token", token + "\n");
  start("admin-token-file: admin.token\n");
  writeHostConfig();
  ASSERT_EQ(telemetry({"send", "--to", "reports.jsonl"}).exitCode, 0);
  const std::string file = readFile(dir / "reports.jsonl");

  EXPECT_EQ(request("POST", "/imports", file).status, 401);
  auto wrong = request("POST", "/imports", file, {{"Authorization", "Bearer " + token + "b"}});
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(wrong.headers["WWW-Authenticate"], "Bearer");
  EXPECT_EQ(request("POST", "/imports", file, {{"Authorization", "Basic " + token}}).status, 401);
  EXPECT_TRUE(storedReports().empty());

  const std::map<std::string, std::string> admin{{"Authorization", "Bearer " + token},
                                                 {"Content-Type", "application/x-ndjson"}};
  auto uploaded = request("POST", "/imports", file, admin);
  EXPECT_EQ(uploaded.status, 200) << uploaded.body;
  EXPECT_EQ(uploaded.body,
            R"({"stored":2,"duplicates":0,"dropped":0,"refused":[],"more-refused":0})");
  auto again = request("POST", "/imports", file + "junk\n", admin);
  EXPECT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body, R"({"stored":0,"duplicates":2,"dropped":0,"refused":[{"line":3,"reason":)"
                        R"("not valid JSON: invalid value at byte 0"}],"more-refused":0})");
  const auto stored = storedReports();
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0][2], "") << "no IP hash, also for an upload";
  // Declared over 16 MiB: answered from the head, the body is never read.
  auto huge = request("POST", "/imports", "",
                      {{"Authorization", "Bearer " + token}, {"Content-Length", "16777217"}});
  EXPECT_EQ(huge.status, 413) << huge.body;
}

TEST_F(OfflineImportTest, UploadsAreRefusedWhenNoAdminTokenIsConfigured) {
  start();
  auto refused = request("POST", "/imports", "", {{"Authorization", "Bearer "}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("admin-token-file"), std::string::npos) << refused.body;
}

TEST_F(OfflineImportTest, AWeakAdminTokenStopsTheStartNamingTheKey) {
  writeFile(dir / "admin.token", "short\n");
  writeFile(dir / "collector.yaml",
            "listen: 127.0.0.1:0\nstore: collector.db\nplain-http: true\n"
            "admin-token-file: admin.token\n");
  const auto check = importFiles({"/dev/null"});
  EXPECT_EQ(check.exitCode, 2);
  EXPECT_NE(check.err.find("collector.yaml:4: 'admin-token-file' must hold one token"),
            std::string::npos)
      << check.err;
}

}  // namespace
}  // namespace telemetry::collector::test
