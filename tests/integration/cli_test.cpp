#include <linux/landlock.h>
#include <pwd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/test/report_schema.hpp"
#include "telemetry/test/subprocess.hpp"
#include "telemetry/test/temp_directory.hpp"

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

using telemetry::test::Outcome;

// Under ASan/UBSan a crash is reported by the sanitizer, which exits with status 1.
constexpr bool kSanitized = TELEMETRY_SANITIZED;

class CliTest : public ::testing::Test {
 protected:
  fs::path writeConfig(const std::string& yaml, const std::string& name = "telemetry.yaml") {
    std::ofstream(dir_ / name) << yaml;
    return dir_ / name;
  }

  Outcome telemetry(std::vector<std::string> args) {
    return telemetry::test::runProgram(TELEMETRY_CLI, args, dir_);
  }

  static std::string validate(const std::string& report, const std::string& kind) {
    return telemetry::test::validateReport(report, kind);
  }

  /// `report` on a store `disable` made (the probe history and descriptor cache are kept
  /// beside it, which a read-only `report` does not create), and how long it took.
  std::pair<Outcome, std::chrono::steady_clock::duration> reportOnAStore(const fs::path& config) {
    EXPECT_EQ(telemetry({"--config", config.string(), "disable"}).exitCode, 0);
    auto start = std::chrono::steady_clock::now();
    Outcome report = telemetry({"--config", config.string(), "report"});
    return {report, std::chrono::steady_clock::now() - start};
  }

  static Poco::JSON::Object::Ptr parse(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
  }

  const std::string jdkAndMocks = R"(
plugins:
  paths: [")" TELEMETRY_PLUGIN_DIR R"(", ")" TELEMETRY_MOCK_PLUGIN_DIR R"("]
  isolation: in-process
  enabled:
    - jdk
    - mock-throws
    - mock-invalid-json
    - mock-not-applicable
)";

  telemetry::test::TempDirectory temp_;
  const fs::path& dir_ = temp_.path();
};

TEST_F(CliTest, VersionAndHelpExitZero) {
  Outcome version = telemetry({"--version"});
  EXPECT_EQ(version.exitCode, 0);
  EXPECT_THAT(version.out, HasSubstr("telemetry "));
  Outcome help = telemetry({"--help"});
  EXPECT_EQ(help.exitCode, 0);
  EXPECT_THAT(help.out, HasSubstr("report"));
  EXPECT_THAT(help.out, HasSubstr("Exit codes"));
  EXPECT_EQ(telemetry({"report", "--help"}).exitCode, 0);
}

TEST_F(CliTest, UnknownCommandOrOptionIsAUsageError) {
  EXPECT_EQ(telemetry({"frobnicate"}).exitCode, 2);
  EXPECT_EQ(telemetry({"report", "--bogus"}).exitCode, 2);
  EXPECT_EQ(telemetry({}).exitCode, 2);
}

TEST_F(CliTest, ReportIsValidJsonMatchingTheSchemaAndHoldsThisMachinesJdk) {
  fs::path config = writeConfig(jdkAndMocks);
  Outcome r = telemetry({"--config", config.string(), "report"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(validate(r.out, "full"), "valid\n") << r.out;
  auto internals = parse(r.out)->getObject("product")->getObject("internals");
  ASSERT_TRUE(internals->has("jdk")) << r.err;
  EXPECT_FALSE(internals->getObject("jdk")->getValue<std::string>("vendor").empty());
}

TEST_F(CliTest, InitialReportMatchesTheSchema) {
  fs::path config = writeConfig("telemetry: { initialize: true }\n");
  Outcome r = telemetry({"--config", config.string(), "report", "--initial"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(validate(r.out, "initial"), "valid\n") << r.out;
  EXPECT_TRUE(parse(r.out)
                  ->getObject("product")
                  ->getObject("internals")
                  ->getValue<bool>("telemetry-enabled"));
}

TEST_F(CliTest, ExplainShowsEachFieldOfTheReportWithWhatItIsAndChangesNothing) {
  fs::path config = writeConfig(R"(
plugins:
  paths: [")" TELEMETRY_PLUGIN_DIR R"(", ")" TELEMETRY_MOCK_PLUGIN_DIR R"("]
  enabled: [jdk, mock-documented]
)");
  ASSERT_EQ(telemetry({"--config", config.string(), "enable"}).exitCode, 0);
  ASSERT_EQ(telemetry({"--config", config.string(), "usage", "command", "StartCmd", "3"}).exitCode,
            0);
  Outcome r = telemetry({"--config", config.string(), "explain"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(R"("installation": ")"));
  EXPECT_THAT(r.out, HasSubstr(R"(",  // A random UUID made when)"));
  EXPECT_THAT(r.out, HasSubstr(R"("StartCmd": {  // One command, named as the product counts it)"));
  EXPECT_THAT(r.out, HasSubstr(R"("count": 3  // How many since the counts were last delivered)"));
  EXPECT_THAT(r.out, HasSubstr("[plugin jdk]"));
  EXPECT_THAT(r.out, HasSubstr(R"("mock-documented": {  // A mock section. Why: To test the )"
                               R"(data dictionary. [plugin mock-documented])"));
  EXPECT_THAT(r.out, HasSubstr(R"("a",  // One item of the mock. Why: To test wildcards.)"));
  EXPECT_THAT(r.out, HasSubstr(R"("extra": 1  // undocumented)"));
  // Like `report`: the count is still there to be sent.
  Outcome report = telemetry({"--config", config.string(), "report"});
  EXPECT_THAT(report.out, HasSubstr(R"("StartCmd": {)"));

  Outcome json = telemetry({"--config", config.string(), "explain", "--json"});
  ASSERT_EQ(json.exitCode, 0) << json.err;
  auto explained = parse(json.out);
  std::ostringstream reportText;
  explained->getObject("report")->stringify(reportText);
  EXPECT_EQ(validate(reportText.str(), "full"), "valid\n") << reportText.str();
  auto fields = explained->getArray("fields");
  ASSERT_GT(fields->size(), 10u);
  EXPECT_EQ(fields->getObject(0)->getValue<std::string>("pointer"), "/installation");
  EXPECT_THAT(fields->getObject(0)->getValue<std::string>("filled-by"), HasSubstr("host"));
}

TEST_F(CliTest, ExplainInitialAndTheDictionary) {
  fs::path config = writeConfig(R"(
plugins:
  paths: [")" TELEMETRY_PLUGIN_DIR R"(", ")" TELEMETRY_MOCK_PLUGIN_DIR R"("]
)");
  Outcome initial = telemetry({"--config", config.string(), "explain", "--initial"});
  ASSERT_EQ(initial.exitCode, 0) << initial.err;
  EXPECT_THAT(initial.out, HasSubstr(R"("telemetry-enabled": false  // Whether telemetry was)"));
  Outcome dictionary = telemetry({"--config", config.string(), "explain", "--dictionary"});
  ASSERT_EQ(dictionary.exitCode, 0) << dictionary.err;
  EXPECT_THAT(dictionary.out, HasSubstr("# Data dictionary"));
  EXPECT_THAT(dictionary.out, HasSubstr("### mock-documented"));
  EXPECT_THAT(dictionary.out,
              HasSubstr("| `/items/*` | One item of the mock. | To test wildcards. |"));
  EXPECT_THAT(dictionary.out, HasSubstr("### postgresql"));
  EXPECT_THAT(dictionary.out, ::testing::Not(HasSubstr("mock-oversized-field-docs")));
  // mock-good fills the database section and documents none of it.
  EXPECT_THAT(dictionary.err, HasSubstr("field(s) of the plugins found are undocumented"));
  EXPECT_EQ(telemetry({"--config", config.string(), "explain", "--dictionary", "--json"}).exitCode,
            2);
}

TEST_F(CliTest, InstallationIdIsKeptAcrossRuns) {
  fs::path config = writeConfig("state: { path: state/telemetry.db }\n");
  // `report` only reads: the store (and the id) come with the first command that writes.
  ASSERT_EQ(telemetry({"--config", config.string(), "disable"}).exitCode, 0);
  Outcome first = telemetry({"--config", config.string(), "report", "--initial"});
  Outcome second = telemetry({"--config", config.string(), "report"});
  ASSERT_EQ(first.exitCode, 0) << first.err;
  ASSERT_EQ(second.exitCode, 0) << second.err;
  EXPECT_EQ(parse(first.out)->getValue<std::string>("installation"),
            parse(second.out)->getValue<std::string>("installation"));
  EXPECT_TRUE(fs::exists(dir_ / "state/telemetry.db"));
}

TEST_F(CliTest, StdoutCarriesOnlyTheReportAndLogsGoToStderr) {
  fs::path config = writeConfig(jdkAndMocks);
  Outcome r = telemetry({"--config", config.string(), "--log-level", "debug", "report"});
  ASSERT_EQ(r.exitCode, 0);
  EXPECT_NO_THROW(parse(r.out));
  EXPECT_THAT(r.err, HasSubstr("mock-throws"));
}

TEST_F(CliTest, BrokenPluginsCostOnlyTheirSectionAndAreLogged) {
  fs::path config = writeConfig(jdkAndMocks);
  Outcome r = telemetry({"--config", config.string(), "report"});
  ASSERT_EQ(r.exitCode, 0);
  EXPECT_THAT(r.err, HasSubstr("plugin 'mock-throws' failed"));
  EXPECT_THAT(r.err, HasSubstr("plugin 'mock-invalid-json' returned invalid JSON"));
  auto internals = parse(r.out)->getObject("product")->getObject("internals");
  EXPECT_FALSE(internals->has("application-server"));
}

TEST_F(CliTest, MisspeltKeyExitsTwoNamingFileLineAndKey) {
  fs::path config = writeConfig("telemetry:\n  reportng-period: 24h\n");
  Outcome r = telemetry({"--config", config.string(), "report"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.err, HasSubstr(config.string() + ":2: unknown key 'reportng-period' in "
                                                 "'telemetry' (did you mean 'reporting-period'?)"));
  EXPECT_TRUE(r.out.empty());
}

TEST_F(CliTest, MissingConfigFileExitsTwo) {
  Outcome r = telemetry({"--config", (dir_ / "absent.yaml").string(), "report"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.err, HasSubstr("absent.yaml: cannot read configuration file"));
}

TEST_F(CliTest, ConfigIsFoundThroughTheEnvironmentAndTheWorkingDirectory) {
  writeConfig("product: { name: From Working Dir }\n");
  Outcome local = telemetry({"report", "--initial"});
  ASSERT_EQ(local.exitCode, 0) << local.err;
  EXPECT_EQ(parse(local.out)->getObject("product")->getValue<std::string>("name"),
            "From Working Dir");
}

TEST_F(CliTest, BadLogLevelIsAUsageError) {
  EXPECT_EQ(telemetry({"--log-level", "loud", "report"}).exitCode, 2);
}

TEST_F(CliTest, WrongAbiPluginIsRefusedButTheReportStillComesOut) {
  fs::path config = writeConfig(R"(
plugins:
  paths: [")" TELEMETRY_PLUGIN_DIR R"(", ")" TELEMETRY_MOCK_PLUGIN_DIR R"("]
  enabled: [jdk]
)");
  Outcome report = telemetry({"--config", config.string(), "report"});
  ASSERT_EQ(report.exitCode, 0) << report.err;
  EXPECT_THAT(report.err, HasSubstr("mock_wrong_abi.so: refused: ABI 2.0, host supports 1.x"));
  Outcome plugins = telemetry({"--config", config.string(), "plugins"});
  ASSERT_EQ(plugins.exitCode, 0);
  EXPECT_THAT(plugins.out, HasSubstr("refused: ABI 2.0, host supports 1.x up to 1.2"));
}

TEST_F(CliTest, PluginsJsonListsEveryPluginWithItsState) {
  fs::path config = writeConfig(jdkAndMocks + "    - not-installed\n");
  Outcome r = telemetry({"--config", config.string(), "plugins", "--json"});
  ASSERT_EQ(r.exitCode, 0) << r.err;
  auto list = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Array::Ptr>();
  std::map<std::string, std::string> states;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto p = list->getObject(i);
    states[p->getValue<std::string>("name")] = p->getValue<std::string>("state");
  }
  EXPECT_EQ(states["jdk"], "loaded");
  EXPECT_THAT(states["mock_no_entry_point"], HasSubstr("refused: not a telemetry plugin"));
  EXPECT_THAT(states["not-installed"], HasSubstr("missing: "));
}

TEST_F(CliTest, MisbehavingPluginsInChildProcessesCostOnlyTheirSectionsAndShowWhy) {
  // Copies of a good plugin that are unsafe to load: world-writable, and owned by nobody.
  fs::create_directory(dir_ / "unsafe");
  fs::copy_file(TELEMETRY_MOCK_PLUGIN_DIR "/mock_good.so", dir_ / "unsafe/world_writable.so");
  fs::permissions(dir_ / "unsafe/world_writable.so", fs::perms::others_write,
                  fs::perm_options::add);
  const passwd* nobody = ::geteuid() == 0 ? ::getpwnam("nobody") : nullptr;
  if (nobody != nullptr) {
    fs::copy_file(TELEMETRY_MOCK_PLUGIN_DIR "/mock_good.so", dir_ / "unsafe/foreign.so");
    ASSERT_EQ(::chown((dir_ / "unsafe/foreign.so").c_str(), nobody->pw_uid, nobody->pw_gid), 0);
  }
  fs::path config = writeConfig(R"(
plugins:
  paths: [")" TELEMETRY_PLUGIN_DIR R"(", ")" TELEMETRY_MOCK_PLUGIN_DIR R"(", unsafe]
  isolation: process
  timeout: 10s
  enabled:
    - mock-segfaults
    - mock-aborts
    - mock-exits
    - mock-hangs
    - name: mock-sleeps
      settings: { ms: 60000 }
    - mock-allocates
    - mock-floods-stdout
    - mock-garbage-stdout
    - mock-spawns-grandchild
    - mock-throws
    - mock-invalid-json
    - jdk
)");
  auto [report, took] = reportOnAStore(config);
  ASSERT_EQ(report.exitCode, 0) << report.err;
  // Not a speed limit: mock-sleeps would take 60 s, so less proves the timeout cut it. The
  // 10 s timeout leaves the well-behaved plugins room on a loaded machine.
  EXPECT_LT(took, std::chrono::seconds(30));
  auto internals = parse(report.out)->getObject("product")->getObject("internals");
  ASSERT_TRUE(internals->has("jdk")) << report.err;
  EXPECT_FALSE(internals->getObject("jdk")->getValue<std::string>("vendor").empty());
  EXPECT_THAT(report.err, HasSubstr("plugin 'mock-aborts' failed: crashed with SIGABRT"));
  EXPECT_THAT(report.err, HasSubstr("plugin 'mock-hangs' timed out: no answer within 10000 ms"));

  Outcome plugins = telemetry({"--config", config.string(), "plugins", "--json"});
  ASSERT_EQ(plugins.exitCode, 0) << plugins.err;
  auto list = Poco::JSON::Parser().parse(plugins.out).extract<Poco::JSON::Array::Ptr>();
  std::map<std::string, std::string> last, state;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto p = list->getObject(static_cast<unsigned>(i));
    state[p->getValue<std::string>("name")] = p->getValue<std::string>("state");
    if (!p->isNull("last-outcome")) {
      last[p->getValue<std::string>("name")] = p->getValue<std::string>("last-outcome");
      EXPECT_GE(p->getValue<int>("last-duration-ms"), 0);
    }
  }
  EXPECT_THAT(last["mock-segfaults"], HasSubstr(kSanitized ? "failed: exited with status 1"
                                                           : "failed: crashed with SIGSEGV"));
  EXPECT_THAT(last["mock-aborts"], HasSubstr("failed: crashed with SIGABRT"));
  EXPECT_THAT(last["mock-exits"], HasSubstr("failed: exited with status 0 without an answer"));
  EXPECT_EQ(last["mock-hangs"], "timed out: no answer within 10000 ms");
  EXPECT_EQ(last["mock-sleeps"], "timed out: no answer within 10000 ms");
  // 1 GiB is reached in well under a second alone, but not always with 11 others on 2 cores.
  EXPECT_THAT(last["mock-allocates"], ::testing::AnyOf(::testing::StartsWith("failed: "),
                                                       ::testing::StartsWith("timed out")));
  EXPECT_THAT(last["mock-floods-stdout"], HasSubstr("failed: wrote more than 1 MiB"));
  EXPECT_THAT(last["mock-throws"], HasSubstr("failed: collect threw unknown exception"));
  EXPECT_THAT(last["mock-invalid-json"], HasSubstr("failed: returned invalid JSON"));
  EXPECT_EQ(last["mock-garbage-stdout"], "ok");
  EXPECT_EQ(last["mock-spawns-grandchild"], "ok");
  EXPECT_EQ(last["jdk"], "ok");
  EXPECT_THAT(state["world_writable"], HasSubstr("refused: unsafe: file "));
  EXPECT_THAT(state["world_writable"], HasSubstr("is world-writable"));
  if (nobody != nullptr) {
    EXPECT_THAT(state["foreign"], HasSubstr("is owned by nobody"));
  }

  Outcome table = telemetry({"--config", config.string(), "plugins"});
  EXPECT_THAT(table.out, HasSubstr("ms: failed: crashed with SIGABRT"));
  EXPECT_THAT(table.out, HasSubstr("refused: unsafe: file "));
}

TEST_F(CliTest, PluginsShowsWhatEachPluginDeclaredAndHowItIsConfined) {
  fs::path config = writeConfig(R"(
plugins:
  paths: [")" TELEMETRY_PLUGIN_DIR R"("]
  deny: { mysql: [network] }
)");
  Outcome plugins = telemetry({"--config", config.string(), "plugins", "--json"});
  ASSERT_EQ(plugins.exitCode, 0) << plugins.err;
  auto list = Poco::JSON::Parser().parse(plugins.out).extract<Poco::JSON::Array::Ptr>();
  std::map<std::string, Poco::JSON::Object::Ptr> byName;
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto p = list->getObject(static_cast<unsigned>(i));
    byName[p->getValue<std::string>("name")] = p;
  }
  ASSERT_TRUE(byName.count("postgresql") && byName.count("mysql") && byName.count("jdk"));
  EXPECT_EQ(byName["postgresql"]->getArray("needs")->size(), 1u);
  EXPECT_EQ(byName["postgresql"]->getArray("needs")->getElement<std::string>(0), "network");
  EXPECT_EQ(byName["jdk"]->getArray("needs")->size(), 0u);
  auto sandbox = [&](const std::string& name, const std::string& aspect) {
    return byName[name]->getObject("sandbox")->getValue<std::string>(aspect);
  };
  EXPECT_EQ(sandbox("postgresql", "network"), "declared");
  EXPECT_THAT(sandbox("mysql", "network"), StartsWith("declared, denied by plugins.deny"));
  EXPECT_THAT(sandbox("jdk", "network"), StartsWith("not declared, denied"));
  Outcome table = telemetry({"--config", config.string(), "plugins"});
  EXPECT_THAT(table.out, HasSubstr("  sandbox: network: declared; writes: "));
  if (::syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION) <= 0) {
    GTEST_SKIP() << "this kernel offers no Landlock: writes stay allowed";
  }
  EXPECT_THAT(sandbox("jdk", "writes"), StartsWith("denied (landlock"));
}

}  // namespace

namespace {

// In process mode no plugin code runs in the host, not even a constructor: loading that
// crashes, exits or hangs costs only that plugin, in `report` and `plugins`.
TEST_F(CliTest, PluginsWhoseLoadingCrashesExitsOrHangsAreRefusedAndTheReportComesOut) {
  fs::path config = writeConfig(R"(
plugins:
  paths: [")" TELEMETRY_MOCK_LOADING_PLUGIN_DIR R"(", ")" TELEMETRY_MOCK_PLUGIN_DIR R"("]
  isolation: process
  timeout: 5s
  enabled:
    - mock-constructor-segfaults
    - mock-constructor-exits
    - mock-constructor-hangs
    - mock-good
    - mock-vendor
)");
  auto [report, took] = reportOnAStore(config);
  ASSERT_EQ(report.exitCode, 0) << report.err;
  // Not a speed limit: the hanging constructor would hang `report` forever.
  EXPECT_LT(took, std::chrono::seconds(30));
  EXPECT_EQ(validate(report.out, "full"), "valid\n");
  auto internals = parse(report.out)->getObject("product")->getObject("internals");
  EXPECT_TRUE(internals->has("database")) << report.err;
  EXPECT_TRUE(internals->has("acme/cluster")) << report.err;
  EXPECT_THAT(report.err, HasSubstr("mock_constructor_hangs.so: refused: loading it in "
                                    "telemetry-probe: no answer within 5000 ms"));

  auto states = [&] {
    Outcome plugins = telemetry({"--config", config.string(), "plugins", "--json"});
    EXPECT_EQ(plugins.exitCode, 0) << plugins.err;
    auto list = Poco::JSON::Parser().parse(plugins.out).extract<Poco::JSON::Array::Ptr>();
    std::map<std::string, std::string> state;
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto p = list->getObject(static_cast<unsigned>(i));
      state[p->getValue<std::string>("name")] = p->getValue<std::string>("state");
    }
    return state;
  };
  // Twice: read by children, then from the cache beside the store; both say the same.
  for (int round = 0; round < 2; ++round) {
    auto state = states();
    EXPECT_THAT(
        state["mock_constructor_segfaults"],
        HasSubstr(kSanitized ? "refused: loading it in telemetry-probe: exited with status 1"
                             : "refused: loading it in telemetry-probe: crashed with "
                               "SIGSEGV (Segmentation fault)"));
    EXPECT_EQ(state["mock_constructor_exits"],
              "refused: loading it in telemetry-probe: exited with status 0 without an answer");
    EXPECT_EQ(state["mock_constructor_hangs"],
              "refused: loading it in telemetry-probe: no answer within 5000 ms");
    EXPECT_EQ(state["mock-good"], "loaded");
  }
  EXPECT_TRUE(fs::exists(dir_ / "telemetry-state.db.plugins.json"));
}

}  // namespace
