#include "postgresql_probe_results.hpp"

#include <chrono>

#include <telemetry/test/loopback_listener.hpp>
#include <telemetry/test/stalling_proxy.hpp>

namespace {

using namespace telemetry::test;
using telemetry::plugin::Result;

const PluginHarness& plugin() { return postgresqlPlugin(); }

std::string passwordOf(const std::string& url) {
  const auto colon = url.find(':', url.find("://") + 3);
  return url.substr(colon + 1, url.rfind('@') - colon - 1);
}

TEST(PostgresqlProbeTest, reports_postgres_with_the_version_psql_shows) {
  const std::string url = serviceUrl("postgres");
  auto section = sectionOf(plugin().collect(settingsFor(url)));
  EXPECT_EQ(section->getValue<std::string>("vendor"), "postgres");
  EXPECT_EQ(section->getValue<std::string>("version"), psql(url, "SHOW server_version"));
}

TEST(PostgresqlProbeTest, server_that_is_down_gives_one_cannot_connect_error) {
  const LoopbackListener refusing(false);  // bound, not listening: connections are refused
  const std::string port = std::to_string(refusing.port());
  Result result = plugin().collect(settingsFor("postgresql://app:pw@127.0.0.1:" + port + "/db"));
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_TRUE(result.text().starts_with("cannot connect to 127.0.0.1:" + port + ": "))
      << result.text();
  EXPECT_EQ(result.text().find('\n'), std::string::npos) << result.text();
}

TEST(PostgresqlProbeTest, error_for_a_wrong_password_does_not_contain_the_password) {
  const std::string url = serviceUrl("postgres");
  const std::string wrong = passwordOf(url) + "wrong";
  std::string bad = url;
  bad.replace(bad.find(passwordOf(url)), passwordOf(url).size(), wrong);
  Result result = plugin().collect(settingsFor(bad));
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("password authentication failed"), std::string::npos)
      << result.text();
  EXPECT_EQ(result.text().find(wrong), std::string::npos) << result.text();
  EXPECT_EQ(result.text().find(passwordOf(url)), std::string::npos) << result.text();
}

TEST(PostgresqlProbeTest, silent_server_is_given_up_at_the_connect_timeout) {
  LoopbackListener silent;  // accepts the TCP connection, never sends the start-up reply
  const std::string port = std::to_string(silent.port());
  Result result = plugin().collect(settingsFor("postgresql://app:pw@127.0.0.1:" + port + "/db",
                                               R"(, "connect-timeout": "200ms")"));
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_EQ(result.text(),
            "cannot connect to 127.0.0.1:" + port + ": no answer within the connect timeout");
}

TEST(PostgresqlProbeTest, silent_server_is_given_up_at_the_probe_deadline) {
  LoopbackListener silent;
  const std::string port = std::to_string(silent.port());
  // The connect timeout is longer than the host's deadline: the deadline wins.
  Result result = plugin().collect(
      settingsFor("postgresql://app:pw@127.0.0.1:" + port + "/db", R"(, "connect-timeout": "10m")"),
      {}, std::chrono::milliseconds(300));
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_EQ(result.text(),
            "cannot connect to 127.0.0.1:" + port + ": no answer within the connect timeout");
}

TEST(PostgresqlProbeTest, server_that_hangs_after_the_log_in_is_given_up_at_the_probe_deadline) {
  const std::string url = serviceUrl("postgres");
  // The real server up to its query, which is never delivered: connected, never answered.
  StallingProxy hanging(portOf(url), StallingProxy::postgresQuery);
  const std::string port = std::to_string(hanging.port());
  // Room for a real log-in on a loaded machine, so the query is what the deadline cuts.
  // How soon after the deadline it gives up is no unit test's business (a busy machine).
  const auto deadline = std::chrono::milliseconds(5000);
  Result result = plugin().collect(settingsFor(withPort(url, hanging.port())), {}, deadline);
  ASSERT_EQ(result.kind(), Result::Kind::error) << result.text();
  EXPECT_TRUE(hanging.stalled());
  EXPECT_EQ(result.text(), "query 'SELECT version()' on 127.0.0.1:" + port + ": timed out");
  EXPECT_TRUE(hanging.clientGaveUp()) << "the proxy's hang guard ended the stall, not the probe";
}

TEST(PostgresqlProbeTest, unknown_setting_is_rejected_with_its_name) {
  Result result = plugin().collect(R"({"url": "postgresql://a@127.0.0.1/db", "ulr": "x"})");
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("unknown setting 'ulr'"), std::string::npos) << result.text();
}

TEST(PostgresqlProbeTest, missing_url_is_an_error_naming_the_setting) {
  Result result = plugin().collect("{}");
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("setting 'url' is required"), std::string::npos) << result.text();
}

TEST(PostgresqlProbeTest, mysql_url_is_refused_without_showing_the_password) {
  Result result = plugin().collect(settingsFor("mysql://app:topsecret@127.0.0.1/db"));
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'mysql://' is not supported"), std::string::npos) << result.text();
  EXPECT_EQ(result.text().find("topsecret"), std::string::npos) << result.text();
}

}  // namespace
