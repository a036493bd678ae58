#include <gtest/gtest.h>

#include "telemetry/plugins/db_settings.hpp"
#include "telemetry/plugins/settings.hpp"

namespace {

using namespace std::chrono_literals;
using telemetry::plugin::Context;
using telemetry::plugins::DbSettings;
using telemetry::plugins::DbUrlError;
using telemetry::plugins::SettingsError;

DbSettings read(const std::string& json) {
  return DbSettings::read("postgresql", json, {"postgresql"}, 5432);
}

TEST(DbSettingsTest, reads_url_and_uses_the_default_connect_timeout) {
  DbSettings settings = read(R"({"url": "postgresql://app@h/db"})");
  EXPECT_EQ(settings.url.host, "h");
  EXPECT_EQ(settings.connectTimeout, DbSettings::kDefaultConnectTimeout);
}

TEST(DbSettingsTest, connect_timeout_takes_seconds_or_a_unit) {
  EXPECT_EQ(read(R"({"url": "postgresql://h", "connect-timeout": 3})").connectTimeout, 3s);
  EXPECT_EQ(read(R"({"url": "postgresql://h", "connect-timeout": "250ms"})").connectTimeout, 250ms);
  EXPECT_EQ(read(R"({"url": "postgresql://h", "connect-timeout": "2m"})").connectTimeout, 2min);
}

TEST(DbSettingsTest, bad_connect_timeout_names_the_setting) {
  for (const char* json : {R"({"url": "postgresql://h", "connect-timeout": "soon"})",
                           R"({"url": "postgresql://h", "connect-timeout": "0s"})",
                           R"({"url": "postgresql://h", "connect-timeout": "5h"})"}) {
    try {
      read(json);
      ADD_FAILURE() << json;
    } catch (const SettingsError& e) {
      EXPECT_NE(std::string(e.what()).find("setting 'connect-timeout'"), std::string::npos);
    }
  }
}

TEST(DbSettingsTest, unknown_setting_is_rejected) {
  EXPECT_THROW(read(R"({"url": "postgresql://h", "timeout": "5s"})"), SettingsError);
}

TEST(DbSettingsTest, missing_url_is_rejected) { EXPECT_THROW(read("{}"), SettingsError); }

TEST(DbSettingsTest, malformed_url_is_rejected) {
  EXPECT_THROW(read(R"({"url": "postgresql://a@:1/db"})"), DbUrlError);
}

TEST(DbSettingsTest, connect_budget_is_cut_to_what_is_left_of_the_deadline) {
  DbSettings settings = read(R"({"url": "postgresql://h", "connect-timeout": "10m"})");
  Context soon("{}", Context::Clock::now() + 1s);
  EXPECT_LE(settings.connectBudget(soon), 1s);
  Context later("{}", Context::Clock::now() + 1h);
  EXPECT_EQ(settings.connectBudget(later), 10min);
}

}  // namespace
