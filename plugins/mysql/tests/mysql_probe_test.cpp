#include <gtest/gtest.h>

#include <chrono>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <telemetry/plugin/testing.hpp>
#include <telemetry/plugins/db_url.hpp>
#include <telemetry/plugins/testing/command_output.hpp>
#include <telemetry/test/loopback_listener.hpp>
#include <telemetry/test/service_url.hpp>
#include <telemetry/test/stalling_proxy.hpp>

namespace {

using telemetry::plugin::Result;
using telemetry::plugin::testing::PluginHarness;
using telemetry::plugins::DbUrl;
using telemetry::plugins::testing::commandOutput;
using telemetry::test::LoopbackListener;
using telemetry::test::serviceUrl;
using telemetry::test::StallingProxy;

const PluginHarness& plugin() {
  static const PluginHarness harness(TELEMETRY_PLUGIN_FILE);
  return harness;
}

std::string settingsFor(const std::string& url, const std::string& extra = "") {
  return R"({"url": ")" + url + "\"" + extra + "}";
}

DbUrl parts(const std::string& url) { return DbUrl::parse(url, {"mysql"}, 3306); }

// Asks the server itself, through the mariadb command-line client.
std::string mariadbClient(const std::string& url, const std::string& sql) {
  DbUrl u = parts(url);
  return commandOutput("mariadb --no-defaults --protocol=tcp -h " + u.host + " -P " +
                       std::to_string(u.port) + " -u " + u.user + " -p" + u.password + " " +
                       u.database + " -Nse \"" + sql + "\"");
}

TEST(MysqlProbeTest, reports_mariadb_with_the_version_the_mariadb_client_shows) {
  const std::string url = serviceUrl("mariadb");
  Result result = plugin().collect(settingsFor(url));
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  auto section = Poco::JSON::Parser().parse(result.text()).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(section->getValue<std::string>("vendor"), "mariadb");
  EXPECT_EQ(section->getValue<std::string>("version"), mariadbClient(url, "SELECT VERSION()"));
}

TEST(MysqlProbeTest, section_has_vendor_then_version_and_nothing_else) {
  Result result = plugin().collect(settingsFor(serviceUrl("mariadb")));
  ASSERT_EQ(result.kind(), Result::Kind::value) << result.text();
  EXPECT_TRUE(result.text().starts_with(R"({"vendor":"mariadb","version":")")) << result.text();
}

TEST(MysqlProbeTest, server_that_is_down_gives_one_cannot_connect_error) {
  const LoopbackListener refusing(false);  // bound, not listening: connections are refused
  const std::string port = std::to_string(refusing.port());
  Result result = plugin().collect(settingsFor("mysql://app:pw@127.0.0.1:" + port + "/db"));
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_TRUE(result.text().starts_with("cannot connect to 127.0.0.1:" + port + ": "))
      << result.text();
  EXPECT_EQ(result.text().find('\n'), std::string::npos) << result.text();
}

TEST(MysqlProbeTest, error_for_a_wrong_password_does_not_contain_the_password) {
  DbUrl good = parts(serviceUrl("mariadb"));
  const std::string wrong = good.password + "wrong";
  Result result = plugin().collect(settingsFor("mysql://" + good.user + ":" + wrong + "@" +
                                               good.endpoint() + "/" + good.database));
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("Access denied"), std::string::npos) << result.text();
  EXPECT_EQ(result.text().find(good.password), std::string::npos) << result.text();
}

TEST(MysqlProbeTest, silent_server_is_given_up_at_the_connect_timeout) {
  LoopbackListener silent;  // accepts the TCP connection, never sends the server greeting
  const std::string port = std::to_string(silent.port());
  Result result = plugin().collect(
      settingsFor("mysql://app:pw@127.0.0.1:" + port + "/db", R"(, "connect-timeout": "1s")"));
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_TRUE(result.text().starts_with("cannot connect to 127.0.0.1:" + port + ": "))
      << result.text();
}

TEST(MysqlProbeTest, silent_server_is_given_up_at_the_probe_deadline) {
  LoopbackListener silent;
  const std::string port = std::to_string(silent.port());
  // The connect timeout is longer than the host's deadline: the deadline wins.
  Result result = plugin().collect(
      settingsFor("mysql://app:pw@127.0.0.1:" + port + "/db", R"(, "connect-timeout": "10m")"), {},
      std::chrono::milliseconds(1500));
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_TRUE(result.text().starts_with("cannot connect to 127.0.0.1:" + port + ": "))
      << result.text();
}

TEST(MysqlProbeTest, server_that_hangs_after_the_log_in_is_given_up_at_the_probe_deadline) {
  const std::string url = serviceUrl("mariadb");
  // The real server up to the first query, which is never delivered.
  StallingProxy hanging(telemetry::test::portOf(url), StallingProxy::mysqlQuery);
  const std::string port = std::to_string(hanging.port());
  // Room for a real log-in on a loaded machine, so the query is what the deadline cuts.
  // How soon after the deadline it gives up is no unit test's business (a busy machine).
  const auto deadline = std::chrono::milliseconds(5000);
  Result result =
      plugin().collect(settingsFor(telemetry::test::withPort(url, hanging.port())), {}, deadline);
  ASSERT_EQ(result.kind(), Result::Kind::error) << result.text();
  EXPECT_TRUE(hanging.stalled());
  EXPECT_TRUE(result.text().starts_with(
      "query 'SELECT VERSION(), @@version_comment' on 127.0.0.1:" + port + ": "))
      << result.text();
  EXPECT_EQ(result.text().find('\n'), std::string::npos) << result.text();
  EXPECT_TRUE(hanging.clientGaveUp()) << "the proxy's hang guard ended the stall, not the probe";
}

TEST(MysqlProbeTest, unknown_setting_is_rejected_with_its_name) {
  Result result = plugin().collect(R"({"url": "mysql://a@127.0.0.1/db", "connect_timeout": 1})");
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("unknown setting 'connect_timeout' (did you mean "
                               "'connect-timeout'?)"),
            std::string::npos)
      << result.text();
}

TEST(MysqlProbeTest, postgresql_url_is_refused_without_showing_the_password) {
  Result result = plugin().collect(settingsFor("postgresql://app:topsecret@127.0.0.1/db"));
  ASSERT_EQ(result.kind(), Result::Kind::error);
  EXPECT_NE(result.text().find("'postgresql://' is not supported"), std::string::npos)
      << result.text();
  EXPECT_EQ(result.text().find("topsecret"), std::string::npos) << result.text();
}

}  // namespace
