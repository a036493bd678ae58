// The REST API: who may call what: logins, groups, the admin page, other sites, login throttling,
// and what refusals and failed logins log.
#include "config/logging.hpp"
#include "rest_api_fixture.hpp"
#include "telemetry/test/captured_warnings.hpp"

namespace {

using namespace telemetry::test::rest_api;

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

TEST_F(RestApiTest, APasswordFollowedByNulDoesNotLogIn) {
  const Login withNul{kAdmin.user, kAdmin.password + std::string(1, '\0')};
  EXPECT_EQ(call({"GET", "/telemetry/configuration", withNul}).status, 401);
  const Login nulInName{kAdmin.user + std::string(1, '\0'), kAdmin.password};
  EXPECT_EQ(call({"GET", "/telemetry/configuration", nulInName}).status, 401);
  EXPECT_EQ(call({"GET", "/telemetry/configuration", kAdmin}).status, 200);
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

}  // namespace
