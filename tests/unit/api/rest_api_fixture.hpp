// The REST API over real HTTP(S) on loopback, served by ApiServer for an in-process Host:
// the fixture of the rest_api_*_test.cpp files (one per behaviour), with a user in each
// group, a call() that speaks HTTP as a client would, and the state store to check effects.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/api_server.hpp"
#include "api/auth/password_hash.hpp"
#include "api/auth/user_directory.hpp"
#include "state/state_store.hpp"
#include "telemetry/host.hpp"
#include "telemetry/test/temp_directory.hpp"
#include "telemetry/test/test_receiver.hpp"

namespace telemetry::test::rest_api {

using namespace std::chrono_literals;
using Poco::JSON::Object;
using telemetry::ApiServer;
using telemetry::Host;
using telemetry::StateStore;
using telemetry::test::TestReceiver;
using ::testing::HasSubstr;
using ::testing::Not;

inline constexpr const char* kSignature =
    "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuTWFueSBoYW5kcyBtYWtl";
inline constexpr const char* kLicense =
    "customer=ACME Corp;expiryDate=2030-01-31;camundaBPM=true;optimize=false";

struct Login {
  std::string user;
  std::string password;
};
inline const Login kAdmin{"admin", "admin-secret"};
inline const Login kReader{"reader", "reader-secret"};
inline const Login kProduct{"product", "product-secret"};

struct Reply {
  int status = 0;
  std::string body;
  Poco::Net::NameValueCollection headers;

  Object::Ptr json() const { return Poco::JSON::Parser().parse(body).extract<Object::Ptr>(); }
};

struct Call {
  Call(std::string method, std::string path, std::optional<Login> login = {}, std::string body = {},
       std::string contentType = {}, std::map<std::string, std::string> headers = {})
      : method(std::move(method)),
        path(std::move(path)),
        login(std::move(login)),
        body(std::move(body)),
        contentType(std::move(contentType)),
        headers(std::move(headers)) {}

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

}  // namespace telemetry::test::rest_api
