// The REST API: what bad requests get: 400 naming the field, 413 for large bodies, 405 and 404.
#include "rest_api_fixture.hpp"

namespace {

using namespace telemetry::test::rest_api;

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

}  // namespace
