// The REST API over real HTTP(S) on loopback, served by ApiServer for an in-process Host:
// every endpoint, who may call it, what bad requests get, and that the state store (not
// just the answer) shows the effect.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include <Poco/Base64Encoder.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/api_server.hpp"
#include "api/auth/password_hash.hpp"
#include "api/auth/user_directory.hpp"
#include "config/logging.hpp"
#include "state/state_store.hpp"
#include "telemetry/config_error.hpp"
#include "telemetry/host.hpp"
#include "telemetry/test/captured_warnings.hpp"
#include "telemetry/test/temp_directory.hpp"
#include "telemetry/test/test_receiver.hpp"

namespace {

using namespace std::chrono_literals;
using Poco::JSON::Object;
using telemetry::ApiServer;
using telemetry::Host;
using telemetry::StateStore;
using telemetry::test::TestReceiver;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSignature = "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuTWFueSBoYW5kcyBtYWtl";
constexpr const char* kLicense =
    "customer=ACME Corp;expiryDate=2030-01-31;camundaBPM=true;optimize=false";

struct Login {
  std::string user;
  std::string password;
};
const Login kAdmin{"admin", "admin-secret"};
const Login kReader{"reader", "reader-secret"};
const Login kProduct{"product", "product-secret"};

struct Reply {
  int status = 0;
  std::string body;
  Poco::Net::NameValueCollection headers;

  Object::Ptr json() const { return Poco::JSON::Parser().parse(body).extract<Object::Ptr>(); }
};

struct Call {
  Call(std::string method_, std::string path_, std::optional<Login> login_ = {},
       std::string body_ = {}, std::string contentType_ = {},
       std::map<std::string, std::string> headers_ = {})
      : method(std::move(method_)),
        path(std::move(path_)),
        login(std::move(login_)),
        body(std::move(body_)),
        contentType(std::move(contentType_)),
        headers(std::move(headers_)) {}

  std::string method;
  std::string path;
  std::optional<Login> login;
  std::string body;
  std::string contentType;
  std::map<std::string, std::string> headers;
};

class RestApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A low iteration count keeps logins fast here; the default is tested with the hash.
    addUser(kAdmin, {"telemetry-admin"});
    addUser(kReader, {});
    addUser(kProduct, {"usage"});
    start();
  }

  void addUser(const Login& login, std::vector<std::string> groups) {
    telemetry::api::addOrUpdateUser(
        dir_ / "users.yaml",
        {login.user, telemetry::api::hashPassword(login.password, 1000), std::move(groups)});
  }

  telemetry::Config config() {
    telemetry::Config c;
    c.telemetry.endpoint = receiver_.url();
    c.telemetry.initialize = initialize_;
    c.state.path = (dir_ / "state.db").string();
    c.state.auditLog = (dir_ / "telemetry-sent.jsonl").string();
    c.plugins.paths = {TELEMETRY_PLUGIN_DIR};
    c.plugins.isolation = telemetry::Isolation::inProcess;
    c.plugins.enabled = {{"license", "{}", 0}};
    c.api.listen = "127.0.0.1:0";
    c.api.usersFile = (dir_ / "users.yaml").string();
    if (tls_) {
      c.api.tlsCert = telemetry::test::certificateFile("server.pem");
      c.api.tlsKey = telemetry::test::certificateFile("server.key");
    }
    return c;
  }

  void start(telemetry::ApiServerOptions options = {}) {
    api_.reset();
    host_.reset();
    config_ = config();
    host_ = std::make_unique<Host>(config_);
    api_ = std::make_unique<ApiServer>(*host_, config_.api, options);
    api_->start();
  }

  Reply call(const Call& c) {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (tls_) {
      Poco::Net::Context::Ptr context =
          new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", TestReceiver::caFile(),
                                 Poco::Net::Context::VERIFY_STRICT);
      session = std::make_unique<Poco::Net::HTTPSClientSession>("127.0.0.1", api_->port(), context);
    } else {
      session = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", api_->port());
    }
    session->setTimeout(Poco::Timespan(120, 0));  // a hundred synced writes may queue up
    Poco::Net::HTTPRequest request(c.method, c.path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (c.login)
      Poco::Net::HTTPBasicCredentials(c.login->user, c.login->password).authenticate(request);
    for (const auto& [name, value] : c.headers) request.set(name, value);
    if (!c.contentType.empty()) request.setContentType(c.contentType);
    if (!c.body.empty() || c.method == "POST" || c.method == "PUT") {
      request.setContentLength64(static_cast<Poco::Int64>(c.body.size()));
    }
    session->sendRequest(request) << c.body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session->receiveResponse(response);
    Reply reply;
    reply.status = response.getStatus();
    Poco::StreamCopier::copyToString(in, reply.body);
    for (const auto& [name, value] : response) reply.headers.add(name, value);
    return reply;
  }

  Reply setEnabled(bool enabled, const Login& login = kAdmin) {
    return call({"POST", "/telemetry/configuration", login,
                 enabled ? R"({"enableTelemetry":true})" : R"({"enableTelemetry":false})",
                 "application/json"});
  }

  /// What another process finds in the state store.
  bool storedEnabled() { return StateStore(config_.state.path, false).telemetryEnabled(); }

  Object::Ptr reportInternals() {
    Reply data = call({"GET", "/telemetry/data", kReader});
    EXPECT_EQ(data.status, 200) << data.body;
    return data.json()->getObject("product")->getObject("internals");
  }

  telemetry::test::TempDirectory temp_;
  const std::filesystem::path& dir_ = temp_.path();
  TestReceiver receiver_{TestReceiver::Options{.tls = false}};
  bool tls_ = false;
  std::optional<bool> initialize_ = true;
  telemetry::Config config_;
  std::unique_ptr<Host> host_;
  std::unique_ptr<ApiServer> api_;
};

TEST_F(RestApiTest, ReadingTheSwitchNeedsAnyValidUser) {
  Reply none = call({"GET", "/telemetry/configuration"});
  EXPECT_EQ(none.status, 401);
  EXPECT_THAT(none.headers.get("WWW-Authenticate", ""), HasSubstr("Basic realm="));
  EXPECT_EQ(call({"GET", "/telemetry/configuration", Login{"admin", "wrong"}}).status, 401);
  EXPECT_EQ(call({"GET", "/telemetry/configuration", Login{"nobody", "x"}}).status, 401);

  Reply reader = call({"GET", "/telemetry/configuration", kReader});
  ASSERT_EQ(reader.status, 200) << reader.body;
  EXPECT_TRUE(reader.json()->getValue<bool>("enableTelemetry"));
  EXPECT_EQ(reader.headers.get("Cache-Control", ""), "no-store");
}

TEST_F(RestApiTest, OnlyTheAdminGroupSwitchesTelemetryAndTheStoreFollows) {
  EXPECT_EQ(call({"POST", "/telemetry/configuration", std::nullopt, R"({"enableTelemetry":false})",
                  "application/json"})
                .status,
            401);
  EXPECT_EQ(setEnabled(false, Login{"admin", "wrong"}).status, 401);
  Reply reader = setEnabled(false, kReader);
  EXPECT_EQ(reader.status, 403);
  EXPECT_THAT(reader.json()->getValue<std::string>("error"), HasSubstr("telemetry-admin"));
  EXPECT_EQ(setEnabled(false, kProduct).status, 403);
  EXPECT_TRUE(storedEnabled()) << "refused requests change nothing";

  EXPECT_EQ(setEnabled(false).status, 204);
  EXPECT_FALSE(storedEnabled());
  EXPECT_FALSE(
      call({"GET", "/telemetry/configuration", kReader}).json()->getValue<bool>("enableTelemetry"));
  EXPECT_EQ(setEnabled(true).status, 204);
  EXPECT_TRUE(storedEnabled());
}

TEST_F(RestApiTest, ConfigurationIsNullUntilSomeoneDecides) {
  initialize_ = std::nullopt;
  api_.reset();
  host_.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(dir_ / (std::string("state.db") + suffix));
  }
  start();
  EXPECT_TRUE(call({"GET", "/telemetry/configuration", kReader}).json()->isNull("enableTelemetry"));
  EXPECT_EQ(call({"GET", "/telemetry/status", kReader}).json()->getValue<std::string>("opt-in"),
            "unset");
  EXPECT_EQ(setEnabled(false).status, 204);
  auto decided = call({"GET", "/telemetry/configuration", kReader}).json();
  EXPECT_FALSE(decided->isNull("enableTelemetry"));
  EXPECT_FALSE(decided->getValue<bool>("enableTelemetry"));
}

TEST_F(RestApiTest, BadBodiesAre400NamingTheField) {
  auto post = [&](const std::string& body, const std::string& type = "application/json") {
    return call({"POST", "/telemetry/configuration", kAdmin, body, type});
  };
  Reply unknown = post(R"({"enableTelemetry":false,"enableTelemtry":true})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.json()->getValue<std::string>("field"), "enableTelemtry");
  Reply wrongType = post(R"({"enableTelemetry":"no"})");
  EXPECT_EQ(wrongType.status, 400);
  EXPECT_EQ(wrongType.json()->getValue<std::string>("field"), "enableTelemetry");
  Reply missing = post("{}");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json()->getValue<std::string>("field"), "enableTelemetry");
  EXPECT_EQ(post(R"({"enableTelemetry":fals)").status, 400);
  EXPECT_EQ(post("[true]").status, 400);
  EXPECT_EQ(post("").status, 400);
  EXPECT_EQ(post("enableTelemetry=false", "application/x-www-form-urlencoded").status, 415);
  EXPECT_EQ(post(R"({"enableTelemetry":false})", "text/plain").status, 415);
  EXPECT_TRUE(storedEnabled()) << "no bad request switched telemetry off";
}

TEST_F(RestApiTest, ADuplicatedKeyIs400NamingItAndChangesNothing) {
  Reply twice = call({"POST", "/telemetry/configuration", kAdmin,
                      R"({"enableTelemetry":true,"enableTelemetry":false})", "application/json"});
  EXPECT_EQ(twice.status, 400) << twice.body;
  EXPECT_EQ(twice.json()->optValue<std::string>("field", ""), "enableTelemetry");
  EXPECT_THAT(twice.json()->getValue<std::string>("error"), HasSubstr("twice"));
  EXPECT_TRUE(storedEnabled()) << "neither value was taken";

  Reply nested = call(
      {"POST", "/telemetry/usage", kProduct, R"({"commands":{"A":1,"A":2}})", "application/json"});
  EXPECT_EQ(nested.status, 400) << nested.body;
  EXPECT_EQ(nested.json()->optValue<std::string>("field", ""), "commands.A");
}

TEST_F(RestApiTest, TextThatIsNotUtf8OrHoldsNulIs400NamingTheField) {
  auto field = [&](const std::string& body) {
    Reply reply = call({"POST", "/telemetry/usage", kProduct, body, "application/json"});
    EXPECT_EQ(reply.status, 400) << body;
    EXPECT_NO_THROW(reply.json()) << "the error itself is valid JSON: " << reply.body;
    return reply.status == 400 ? reply.json()->optValue<std::string>("field", "") : "";
  };
  EXPECT_EQ(field("{\"commands\":{\"Bad\xffName\":1}}"), "commands.Bad\xEF\xBF\xBDName");
  EXPECT_EQ(field(R"({"commands":{"a\u0000b":1}})"),
            "commands.a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(field(R"({"commands":{"a\\u0000b":1},"workers":["\u0000"]})"), "workers[0]")
      << "an escaped backslash before u0000 is no NUL";
  EXPECT_EQ(field("{\"workers\":[\"w\",\"\xc0\x80\"]}"), "workers[1]");
  EXPECT_EQ(field(R"({"workers":["w\u0000"]})"), "workers[0]");
  auto commands = reportInternals()->getObject("commands");
  EXPECT_FALSE(commands->has("a")) << "a\\u0000b is not merged into a";
  EXPECT_EQ(commands->size(), 0u) << "a 400 counts nothing";
}

TEST_F(RestApiTest, APasswordFollowedByNulDoesNotLogIn) {
  const Login withNul{kAdmin.user, kAdmin.password + std::string(1, '\0')};
  EXPECT_EQ(call({"GET", "/telemetry/configuration", withNul}).status, 401);
  const Login nulInName{kAdmin.user + std::string(1, '\0'), kAdmin.password};
  EXPECT_EQ(call({"GET", "/telemetry/configuration", nulInName}).status, 401);
  EXPECT_EQ(call({"GET", "/telemetry/configuration", kAdmin}).status, 200);
}

TEST_F(RestApiTest, BodiesOverOneMebibyteAre413DeclaredOrChunked) {
  const std::string big(std::size_t{1} << 20 | 1, ' ');
  EXPECT_EQ(call({"POST", "/telemetry/configuration", kAdmin, big, "application/json"}).status,
            413);
  EXPECT_EQ(call({"PUT", "/telemetry/license-key", kAdmin, big, "text/plain"}).status, 413);

  // Chunked: no declared length, the server counts while it reads.
  Poco::Net::HTTPClientSession session("127.0.0.1", api_->port());
  Poco::Net::HTTPRequest request("PUT", "/telemetry/license-key", "HTTP/1.1");
  Poco::Net::HTTPBasicCredentials(kAdmin.user, kAdmin.password).authenticate(request);
  request.setChunkedTransferEncoding(true);
  request.setContentType("text/plain");
  std::ostream& out = session.sendRequest(request);
  try {
    for (int i = 0; i < 20 && out; ++i) out << std::string(100 * 1024, 'k');
  } catch (const Poco::Exception&) {
    // the server may close before all is written
  }
  Poco::Net::HTTPResponse response;
  try {
    session.receiveResponse(response);
    EXPECT_EQ(response.getStatus(), 413);
  } catch (const Poco::Exception& e) {
    ADD_FAILURE() << "no 413 for a chunked body: " << e.displayText();
  }
  EXPECT_FALSE(StateStore(config_.state.path, false).licenseKey()) << "nothing was stored";
}

TEST_F(RestApiTest, WrongMethodIs405WithAllowAndUnknownPathIs404) {
  Reply patch = call({"PATCH", "/telemetry/configuration", kAdmin});
  EXPECT_EQ(patch.status, 405);
  EXPECT_EQ(patch.headers.get("Allow", ""), "GET, POST");
  EXPECT_EQ(call({"DELETE", "/telemetry/data", kAdmin}).status, 405);
  EXPECT_EQ(call({"GET", "/telemetry/license-key", kAdmin}).status, 405);
  EXPECT_EQ(call({"GET", "/telemetry/nothing", kAdmin}).status, 404);
}

TEST_F(RestApiTest, DataIsTheReportAsItWouldBeSentNow) {
  Reply data = call({"GET", "/telemetry/data", kReader});
  ASSERT_EQ(data.status, 200) << data.body;
  EXPECT_EQ(data.json()->getValue<std::string>("installation"),
            StateStore(config_.state.path, false).installationId());
  EXPECT_TRUE(data.json()->getObject("product")->getObject("internals")->has("metrics"));
  EXPECT_EQ(call({"GET", "/telemetry/data"}).status, 401);
  EXPECT_TRUE(receiver_.requests().empty()) << "a preview sends nothing";
}

TEST_F(RestApiTest, ALicenseKeySetThroughTheApiIsReportedStructuredAndRemoved) {
  const std::string armoured = std::string("--- BEGIN CAMUNDA LICENSE KEY ---\n") + kSignature +
                               ";" + kLicense + "\n--- END CAMUNDA LICENSE KEY ---\n";
  EXPECT_EQ(call({"PUT", "/telemetry/license-key", kReader, armoured, "text/plain"}).status, 403);
  EXPECT_EQ(call({"PUT", "/telemetry/license-key", kAdmin, "\n", "text/plain"}).status, 400);
  ASSERT_EQ(call({"PUT", "/telemetry/license-key", kAdmin, armoured, "text/plain"}).status, 204);

  auto stored = StateStore(config_.state.path, false).licenseKey();
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->source, telemetry::LicenseKeySource::adminWebapp);
  auto license = reportInternals()->getObject("license-key");
  ASSERT_TRUE(license) << "no license-key section";
  EXPECT_EQ(license->getValue<std::string>("customer"), "ACME Corp");
  EXPECT_EQ(license->getValue<std::string>("type"), "UNIFIED");
  EXPECT_EQ(license->getValue<std::string>("valid-until"), "2030-01-31");
  EXPECT_EQ(license->getValue<std::string>("raw"), kLicense);
  std::ostringstream text;
  license->stringify(text);
  EXPECT_EQ(text.str().find(kSignature), std::string::npos) << "never the signature";

  EXPECT_EQ(call({"DELETE", "/telemetry/license-key", kReader}).status, 403);
  EXPECT_EQ(call({"DELETE", "/telemetry/license-key", kAdmin}).status, 204);
  EXPECT_FALSE(StateStore(config_.state.path, false).licenseKey());
  EXPECT_FALSE(reportInternals()->has("license-key"));
}

// Camunda keeps a key's structured data when the same key is set again another way.
TEST_F(RestApiTest, TheSameKeyStoredAgainWithLicenseSetStaysStructured) {
  const std::string key = std::string(kSignature) + ";" + kLicense;
  ASSERT_EQ(call({"PUT", "/telemetry/license-key", kAdmin, key, "text/plain"}).status, 204);
  // What `telemetry license set` does with the same key from a file.
  StateStore(config_.state.path, false)
      .setLicenseKey(key + "\n", telemetry::LicenseKeySource::management);
  auto license = reportInternals()->getObject("license-key");
  ASSERT_TRUE(license) << "no license-key section";
  EXPECT_EQ(license->optValue<std::string>("customer", "(none)"), "ACME Corp");
  EXPECT_EQ(license->getValue<std::string>("raw"), kLicense);
}

TEST_F(RestApiTest, UsageNeedsTheUsageGroupAndArrivesInTheReport) {
  const std::string body =
      R"({"commands":{"StartProcessInstanceCmd":3},"metrics":{"root-process-instance-start":2},)"
      R"("workers":["worker-1","worker-2"]})";
  EXPECT_EQ(call({"POST", "/telemetry/usage", kReader, body, "application/json"}).status, 403);
  EXPECT_EQ(call({"POST", "/telemetry/usage", kAdmin, body, "application/json"}).status, 403);
  ASSERT_EQ(call({"POST", "/telemetry/usage", kProduct, body, "application/json"}).status, 204);

  auto internals = reportInternals();
  EXPECT_EQ(internals->getObject("commands")
                ->getObject("StartProcessInstanceCmd")
                ->getValue<int>("count"),
            3);
  auto metrics = internals->getObject("metrics");
  EXPECT_EQ(metrics->getObject("root-process-instance-start")->getValue<int>("count"), 2);
  EXPECT_EQ(metrics->getObject("unique-task-workers")->getValue<int>("count"), 2);
}

TEST_F(RestApiTest, BadUsageIs400NamingTheFieldAndCountsNothing) {
  auto post = [&](const std::string& body) {
    return call({"POST", "/telemetry/usage", kProduct, body, "application/json"});
  };
  auto field = [&](const std::string& body) {
    Reply reply = post(body);
    EXPECT_EQ(reply.status, 400) << body;
    return reply.json()->optValue<std::string>("field", "");
  };
  EXPECT_EQ(field(R"({"commands":{"A":1},"metrics":{"page-views":1}})"), "metrics.page-views");
  EXPECT_EQ(field(R"({"metrics":{"unique-task-workers":5}})"), "metrics.unique-task-workers");
  EXPECT_EQ(field(R"({"commands":{"A":0}})"), "commands.A");
  EXPECT_EQ(field(R"({"commands":{"A":-1}})"), "commands.A");
  EXPECT_EQ(field(R"({"commands":{"A":"1"}})"), "commands.A");
  EXPECT_EQ(field(R"({"commands":{"A":1.5}})"), "commands.A");
  EXPECT_EQ(field(R"({"commands":[1]})"), "commands");
  EXPECT_EQ(field(R"({"workers":"w"})"), "workers");
  EXPECT_EQ(field(R"({"workers":["w",7]})"), "workers[1]");
  EXPECT_EQ(field(R"({"workers":[""]})"), "workers[0]");
  EXPECT_EQ(field(R"({"counts":{}})"), "counts");
  EXPECT_FALSE(reportInternals()->getObject("commands")->has("A")) << "a 400 counts nothing";
}

TEST_F(RestApiTest, CountsAreWholeNumbersUpTo2To63Minus1AndSumsStopThere) {
  auto post = [&](const std::string& count) {
    return call({"POST", "/telemetry/usage", kProduct, R"({"commands":{"A":)" + count + "}}",
                 "application/json"});
  };
  for (const char* bad : {"9223372036854775808", "18446744073709551615", "18446744073709551616",
                          "0", "-1", "1.5", "1e3"}) {
    Reply reply = post(bad);
    EXPECT_EQ(reply.status, 400) << bad;
    EXPECT_THAT(reply.body, HasSubstr("9223372036854775807")) << bad;
  }
  EXPECT_EQ(post("36893488147419103232").status, 400) << "too large even for Poco";
  ASSERT_EQ(post("5").status, 204);
  ASSERT_EQ(post("9223372036854775807").status, 204);
  ASSERT_EQ(post("9223372036854775807").status, 204);
  auto count = reportInternals()->getObject("commands")->getObject("A")->get("count");
  EXPECT_EQ(count.toString(), "9223372036854775807") << "saturated, neither wrapped nor REAL";
}

TEST_F(RestApiTest, CountsMadeWhileDisabledAreNotReportedAfterAQuickReEnable) {
  ASSERT_EQ(call({"POST", "/telemetry/usage", kProduct, R"({"commands":{"Before":1}})",
                  "application/json"})
                .status,
            204);
  ASSERT_EQ(setEnabled(false).status, 204);
  ASSERT_EQ(call({"POST", "/telemetry/usage", kProduct,
                  R"({"commands":{"WhileOff":4},"metrics":{"activity-instance-start":2},)"
                  R"("workers":["w-off"]})",
                  "application/json"})
                .status,
            204);
  ASSERT_EQ(setEnabled(true).status, 204);
  auto internals = reportInternals();
  EXPECT_FALSE(internals->getObject("commands")->has("WhileOff"));
  EXPECT_FALSE(internals->getObject("commands")->has("Before")) << "an opt-out forgets";
  auto metrics = internals->getObject("metrics");
  EXPECT_EQ(metrics->getObject("activity-instance-start")->getValue<int>("count"), 0);
  EXPECT_EQ(metrics->getObject("unique-task-workers")->getValue<int>("count"), 0);
}

TEST_F(RestApiTest, TheAdminPageIsForAdminsWithAStrictContentSecurityPolicy) {
  Reply page = call({"GET", "/admin", kAdmin});
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.headers.get("Content-Type", ""), HasSubstr("text/html"));
  EXPECT_THAT(page.headers.get("Content-Security-Policy", ""), HasSubstr("script-src 'self'"));
  EXPECT_THAT(page.body, HasSubstr("admin.js"));
  Reply script = call({"GET", "/admin/admin.js", kAdmin});
  EXPECT_EQ(script.status, 200);
  EXPECT_THAT(script.headers.get("Content-Type", ""), HasSubstr("javascript"));
  EXPECT_EQ(call({"GET", "/admin", kReader}).status, 403);
  EXPECT_EQ(call({"GET", "/admin"}).status, 401);
}

TEST_F(RestApiTest, StatusShowsWhatTheAdminPageNeeds) {
  Reply status = call({"GET", "/telemetry/status", kReader});
  ASSERT_EQ(status.status, 200);
  auto s = status.json();
  EXPECT_EQ(s->getValue<std::string>("installation"),
            StateStore(config_.state.path, false).installationId());
  EXPECT_TRUE(s->getValue<bool>("enabled"));
  EXPECT_FALSE(s->getValue<bool>("license-key-stored"));
  EXPECT_THAT(s->getValue<std::string>("legal-note"), HasSubstr("authorized"));
}

TEST_F(RestApiTest, WritesFromAnotherSiteAreRefused) {
  const std::string own = "http://127.0.0.1:" + std::to_string(api_->port());
  Reply foreign = call({"POST",
                        "/telemetry/configuration",
                        kAdmin,
                        R"({"enableTelemetry":false})",
                        "application/json",
                        {{"Origin", "http://evil.example"}}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_TRUE(storedEnabled());
  EXPECT_EQ(call({"POST",
                  "/telemetry/configuration",
                  kAdmin,
                  R"({"enableTelemetry":false})",
                  "application/json",
                  {{"Origin", own}}})
                .status,
            204);
}

TEST_F(RestApiTest, RepeatedFailedLoginsFromOneAddressAreSlowedDown) {
  // Long enough that the locked-out request is still locked out on a slow machine.
  telemetry::ApiServerOptions options;
  options.firstLoginLockout = std::chrono::minutes(1);
  start(options);
  // The docs promise five free failed logins: the sixth attempt is refused unchecked.
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(call({"GET", "/telemetry/configuration", Login{"admin", "guess"}}).status, 401)
        << "failed login " << i + 1;
  }
  Reply blocked = call({"GET", "/telemetry/configuration", kAdmin});
  EXPECT_EQ(blocked.status, 429) << "even the right password waits its turn";
  EXPECT_FALSE(blocked.headers.get("Retry-After", "").empty());
}

TEST_F(RestApiTest, HundredParallelTogglesLeaveOneConsistentState) {
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int i = 0; i < 100; ++i) {
    threads.emplace_back([&, i] {
      try {
        if (setEnabled(i % 2 == 0).status == 204) ++accepted;
      } catch (const Poco::Exception& e) {
        ADD_FAILURE() << "toggle " << i << ": " << e.displayText();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), 100);
  const bool stored = storedEnabled();
  EXPECT_EQ(
      call({"GET", "/telemetry/configuration", kReader}).json()->getValue<bool>("enableTelemetry"),
      stored);
  EXPECT_EQ(call({"GET", "/telemetry/status", kReader}).json()->getValue<bool>("enabled"), stored);
  // And it still switches both ways afterwards.
  EXPECT_EQ(setEnabled(!stored).status, 204);
  EXPECT_EQ(storedEnabled(), !stored);
}

TEST_F(RestApiTest, AStalledClientIsDroppedWhileOthersAreServed) {
  telemetry::ApiServerOptions options;
  options.ioTimeout = 1s;
  start(options);
  Poco::Net::StreamSocket stalled(Poco::Net::SocketAddress("127.0.0.1", api_->port()));
  const std::string partial = "GET /telemetry/configuration HTTP/1.1\r\nHost: x\r\n";
  stalled.sendBytes(partial.data(), static_cast<int>(partial.size()));
  EXPECT_EQ(call({"GET", "/telemetry/configuration", kReader}).status, 200);
  stalled.setReceiveTimeout(Poco::Timespan(20, 0));
  // The server closes (or resets) the connection; Poco may answer 400 first.
  std::string answer;
  try {
    char buffer[512];
    for (int n; (n = stalled.receiveBytes(buffer, sizeof buffer)) > 0;) answer.append(buffer, n);
  } catch (const Poco::TimeoutException&) {
    FAIL() << "a client stalled mid-request was still connected after 20 s";
  } catch (const Poco::Exception&) {
    // reset by the server: dropped
  }
  if (!answer.empty()) {
    EXPECT_THAT(answer, HasSubstr("HTTP/1.1 4"));
  }
}

/// A client that sends its request one byte at a time, every 100 ms, and never finishes:
/// each byte restarts a socket timeout, so only a deadline for the whole request ends it.
class DripFeeder {
 public:
  /// `head` is sent first (a byte at a time), then padding for ever.
  DripFeeder(std::uint16_t port, std::string head)
      : thread_([this, port, head = std::move(head)] { run(port, head); }) {}
  ~DripFeeder() {
    stop_ = true;
    thread_.join();
  }

  bool started() const { return started_; }
  /// True when the server closed the connection; false when the feeder gave up first (after
  /// a generous hang guard, which also frees what it held).
  bool waitUntilCutOff() {
    std::unique_lock lock(mutex_);
    ended_.wait(lock, [&] { return endedFlag_; });
    return cutOff_;
  }

 private:
  void run(std::uint16_t port, const std::string& head) {
    const auto giveUp = std::chrono::steady_clock::now() + 45s;
    bool cutOff = false;
    try {
      Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
      for (std::size_t sent = 0; !stop_ && std::chrono::steady_clock::now() < giveUp; ++sent) {
        const char byte = sent < head.size() ? head[sent] : 'a';
        socket.sendBytes(&byte, 1);
        started_ = true;
        // Anything readable now is the server's goodbye: an error answer or the close.
        if (socket.poll(Poco::Timespan(100 * 1000), Poco::Net::Socket::SELECT_READ)) {
          cutOff = true;
          break;
        }
      }
    } catch (const Poco::Exception&) {
      cutOff = true;  // reset or broken pipe
    }
    std::lock_guard lock(mutex_);
    cutOff_ = cutOff && !stop_;
    endedFlag_ = true;
    ended_.notify_all();
  }

  std::atomic<bool> stop_{false};
  std::atomic<bool> started_{false};
  std::mutex mutex_;
  std::condition_variable ended_;
  bool endedFlag_ = false;
  bool cutOff_ = false;
  std::thread thread_;
};

TEST_F(RestApiTest, DripFeedingClientsAreCutOffWhileAnAdminIsAnswered) {
  telemetry::ApiServerOptions options;
  options.requestDeadline = 2s;
  start(options);
  // Twice as many as the requests served at once; before the fix 8 were enough to block all.
  std::vector<std::unique_ptr<DripFeeder>> feeders;
  for (int i = 0; i < 16; ++i) {
    feeders.push_back(std::make_unique<DripFeeder>(
        api_->port(), "GET /telemetry/configuration HTTP/1.1\r\nHost: x\r\nX-Pad: "));
  }
  // One that logs in and then drips its body.
  const std::string credentials = "admin:admin-secret";
  std::string base64;
  {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder << credentials;
    encoder.close();
    base64 = out.str();
  }
  feeders.push_back(std::make_unique<DripFeeder>(
      api_->port(), "POST /telemetry/configuration HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " +
                        base64 +
                        "\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"));
  for (const auto& feeder : feeders) {
    for (int i = 0; i < 600 && !feeder->started(); ++i) std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(feeder->started());
  }

  Reply admin = call({"GET", "/telemetry/status", kAdmin});
  EXPECT_EQ(admin.status, 200) << admin.body;
  for (std::size_t i = 0; i < feeders.size(); ++i) {
    EXPECT_TRUE(feeders[i]->waitUntilCutOff()) << "drip-feeder " << i << " still connected";
  }
  EXPECT_EQ(setEnabled(false).status, 204) << "the server still serves afterwards";
}

TEST_F(RestApiTest, TheRequestDeadlineFreesConnectionsHeldByDripFeeders) {
  // Only two connections are read at once: an admin gets one only when the deadline has
  // cut off the drip-feeders holding them.
  telemetry::ApiServerOptions options;
  options.requestDeadline = 1s;
  options.maxConnections = 2;
  start(options);
  std::vector<std::unique_ptr<DripFeeder>> feeders;
  for (int i = 0; i < 4; ++i) {
    feeders.push_back(std::make_unique<DripFeeder>(api_->port(), "GET /telemetry/configuration "));
  }
  for (const auto& feeder : feeders) {
    for (int i = 0; i < 600 && !feeder->started(); ++i) std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(feeder->started());
  }
  Reply admin = call({"GET", "/telemetry/configuration", kAdmin});
  EXPECT_EQ(admin.status, 200) << admin.body;
  for (std::size_t i = 0; i < feeders.size(); ++i) {
    EXPECT_TRUE(feeders[i]->waitUntilCutOff()) << "drip-feeder " << i << " still connected";
  }
}

TEST_F(RestApiTest, ADripFedTlsHandshakeIsCutOffToo) {
  tls_ = true;
  telemetry::ApiServerOptions options;
  options.requestDeadline = 1s;
  start(options);
  // A TLS record header announcing a 16 KiB handshake, then its bytes one at a time.
  DripFeeder feeder(api_->port(), std::string("\x16\x03\x01\x40\x00", 5));
  EXPECT_TRUE(feeder.waitUntilCutOff());
  EXPECT_EQ(call({"GET", "/telemetry/configuration", kReader}).status, 200);
}

TEST_F(RestApiTest, StoppingDoesNotWaitForRequestsStillArriving) {
  // A deadline far beyond the test's timeout: only stopping can end the drip-feeder.
  telemetry::ApiServerOptions options;
  options.requestDeadline = 10min;
  start(options);
  DripFeeder feeder(api_->port(), "GET /telemetry/configuration HTTP/1.1\r\nX-Pad: ");
  for (int i = 0; i < 600 && !feeder.started(); ++i) std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(feeder.started());
  api_->stop();
  EXPECT_TRUE(feeder.waitUntilCutOff());
}

TEST_F(RestApiTest, AFailedLoginLogsTheUserNameEscaped) {
  telemetry::test::CapturedWarnings log("telemetry");
  // Basic splits at the first ':', so the forged line has none.
  const std::string forged = "eve\r\n2026-01-01 warning [telemetry] forged\x1b[2J\xc2\x9b";
  EXPECT_EQ(call({"GET", "/telemetry/configuration", Login{forged, "x"}}).status, 401);
  const auto warnings = log.texts();
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], HasSubstr(R"(failed login for 'eve\r\n2026-01-01 warning [telemetry] )"
                                     R"(forged\x1b[2J\u009b' from 127.0.0.1)"));
  EXPECT_THAT(warnings[0], Not(HasSubstr("\n")));
  EXPECT_THAT(warnings[0], Not(HasSubstr("\r")));
  EXPECT_THAT(warnings[0], Not(HasSubstr("\x1b")));
}

TEST_F(RestApiTest, ARefusedRequestIsLoggedOnceAtDebugWithUserAndRoute) {
  telemetry::setLogLevel("debug");
  {
    telemetry::test::CapturedWarnings log("telemetry");
    EXPECT_EQ(setEnabled(false, kReader).status, 403);
    EXPECT_EQ(call({"POST",
                    "/telemetry/configuration?x=%0a",
                    kAdmin,
                    R"({"enableTelemetry":false})",
                    "application/json",
                    {{"Origin", "http://evil.example\x1b[1m"}}})
                  .status,
              403);
    const auto debug = log.texts(spdlog::level::debug);
    std::vector<std::string> refusals;
    for (const auto& line : debug) {
      if (line.find("403") != std::string::npos) refusals.push_back(line);
    }
    ASSERT_EQ(refusals.size(), 2u) << "each refusal is logged once";
    EXPECT_THAT(refusals[0], HasSubstr("POST /telemetry/configuration refused (403) for 'reader'"));
    EXPECT_THAT(refusals[1], HasSubstr("for 'admin'"));
    EXPECT_THAT(refusals[1], HasSubstr(R"(http://evil.example\x1b[1m)"));
    EXPECT_THAT(refusals[1], Not(HasSubstr("\x1b")));
  }
  telemetry::setLogLevel("info");
}

TEST_F(RestApiTest, ServesHttpsWithTheConfiguredCertificate) {
  tls_ = true;
  start();
  EXPECT_THAT(api_->url(), HasSubstr("https://"));
  Reply reply = call({"GET", "/telemetry/configuration", kReader});
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(setEnabled(false).status, 204);
  EXPECT_FALSE(storedEnabled());
}

TEST_F(RestApiTest, AnAddressInUseIsAConfigurationError) {
  telemetry::ApiConfig taken = config_.api;
  taken.listen = "127.0.0.1:" + std::to_string(api_->port());
  try {
    ApiServer second(*host_, taken);
    FAIL() << "bound a port in use";
  } catch (const telemetry::ConfigError& e) {
    EXPECT_THAT(e.what(), HasSubstr("api.listen"));
  }
}

}  // namespace
