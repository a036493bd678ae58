#include <gtest/gtest.h>

#include "telemetry/plugins/db_url.hpp"

namespace {

using telemetry::plugins::DbUrl;
using telemetry::plugins::DbUrlError;

DbUrl parsePg(const std::string& text) { return DbUrl::parse(text, {"postgresql"}, 5432); }

std::string errorOf(const std::string& text) {
  try {
    parsePg(text);
  } catch (const DbUrlError& e) {
    return e.what();
  }
  return "no error";
}

TEST(DbUrlTest, splits_a_full_url_into_its_parts) {
  DbUrl url = parsePg("postgresql://app:secret@db.example.org:6543/camunda");
  EXPECT_EQ(url.scheme, "postgresql");
  EXPECT_EQ(url.user, "app");
  EXPECT_EQ(url.password, "secret");
  EXPECT_EQ(url.host, "db.example.org");
  EXPECT_EQ(url.port, 6543);
  EXPECT_EQ(url.database, "camunda");
}

TEST(DbUrlTest, uses_the_default_port_and_allows_no_password_or_database) {
  DbUrl url = parsePg("postgresql://app@127.0.0.1");
  EXPECT_EQ(url.port, 5432);
  EXPECT_EQ(url.user, "app");
  EXPECT_EQ(url.password, "");
  EXPECT_EQ(url.database, "");
}

TEST(DbUrlTest, accepts_a_url_without_user_info) {
  DbUrl url = parsePg("postgresql://localhost/db");
  EXPECT_EQ(url.host, "localhost");
  EXPECT_EQ(url.user, "");
}

TEST(DbUrlTest, decodes_percent_escapes_in_user_password_and_database) {
  DbUrl url = parsePg("postgresql://us%40er:p%3Aw%2F%25@h/my%20db");
  EXPECT_EQ(url.user, "us@er");
  EXPECT_EQ(url.password, "p:w/%");
  EXPECT_EQ(url.database, "my db");
}

TEST(DbUrlTest, takes_the_last_at_sign_so_raw_at_and_slash_in_a_password_work) {
  DbUrl url = parsePg("postgresql://app:p@ss/w@host:5433/db");
  EXPECT_EQ(url.password, "p@ss/w");
  EXPECT_EQ(url.host, "host");
  EXPECT_EQ(url.port, 5433);
}

TEST(DbUrlTest, reads_an_ipv6_host_in_brackets) {
  DbUrl url = parsePg("postgresql://app@[::1]:5433/db");
  EXPECT_EQ(url.host, "::1");
  EXPECT_EQ(url.port, 5433);
  EXPECT_EQ(url.endpoint(), "[::1]:5433");
}

TEST(DbUrlTest, scheme_is_case_insensitive_and_one_of_the_allowed) {
  EXPECT_EQ(DbUrl::parse("MySQL://a@h/db", {"mysql", "mariadb"}, 3306).scheme, "mysql");
  EXPECT_EQ(DbUrl::parse("mariadb://a@h/db", {"mysql", "mariadb"}, 3306).port, 3306);
}

TEST(DbUrlTest, wrong_scheme_names_the_expected_one) {
  EXPECT_EQ(errorOf("mysql://a:pw@h/db"),
            "url: scheme 'mysql://' is not supported here, expected 'postgresql://'");
}

TEST(DbUrlTest, text_without_scheme_is_rejected) {
  EXPECT_TRUE(errorOf("app:pw@host/db").starts_with("url: expected 'postgresql://'"));
}

TEST(DbUrlTest, bad_port_is_rejected_with_the_port) {
  EXPECT_EQ(errorOf("postgresql://a@h:99999/db"),
            "url: port '99999' is not a number from 1 to 65535");
  EXPECT_EQ(errorOf("postgresql://a@h:/db"), "url: port '' is not a number from 1 to 65535");
  EXPECT_EQ(errorOf("postgresql://a@h:54x/db"), "url: port '54x' is not a number from 1 to 65535");
}

TEST(DbUrlTest, missing_host_is_rejected) {
  EXPECT_EQ(errorOf("postgresql://a:pw@/db"), "url: the host is missing");
  EXPECT_EQ(errorOf("postgresql://a:pw@:5432/db"), "url: the host is missing");
}

TEST(DbUrlTest, query_parameters_are_rejected) {
  EXPECT_EQ(errorOf("postgresql://a@h/db?sslmode=require"),
            "url: query parameters and fragments ('?', '#') are not supported");
}

TEST(DbUrlTest, errors_never_contain_the_password) {
  for (const std::string text :
       {"postgresql://a:Secr3t%zz@h/db", "postgresql://a:Secr3t@h:0/db", "mysql://a:Secr3t@h/db",
        "postgresql://a:Secr3t@/db", "postgresql://a:Secr3t@[::1/db"}) {
    const std::string message = errorOf(text);
    EXPECT_NE(message, "no error") << text;
    EXPECT_EQ(message.find("Secr3t"), std::string::npos) << message;
  }
}

TEST(DbUrlTest, redacted_form_hides_the_password) {
  EXPECT_EQ(parsePg("postgresql://app:secret@h:5433/db").redacted(),
            "postgresql://app:***@h:5433/db");
  EXPECT_EQ(parsePg("postgresql://h/db").redacted(), "postgresql://h:5432/db");
}

TEST(DbUrlTest, without_password_masks_every_occurrence_in_a_message) {
  DbUrl url = parsePg("postgresql://app:s3@h/db");
  EXPECT_EQ(url.withoutPassword("bad s3 and s3s3"), "bad *** and ******");
  EXPECT_EQ(parsePg("postgresql://app@h/db").withoutPassword("text"), "text");
}

}  // namespace
