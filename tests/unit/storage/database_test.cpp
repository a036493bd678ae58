// storage/'s database URLs and sessions: both URL forms, passwords with characters that
// mean something in a URL, redaction, and real logins against the postgres fixture.
#include "telemetry/storage/database.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include <Poco/Data/Session.h>
#include <Poco/Exception.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "telemetry/test/service_url.hpp"

namespace {

using namespace Poco::Data::Keywords;
using telemetry::storage::libpqConnectionString;
using telemetry::storage::openDatabase;
using telemetry::storage::redactedLocation;
using ::testing::HasSubstr;
using ::testing::Not;

// Every character that means something in a URL.
const std::string kSpecialPassword = "p@ss:w/o#r%d?x";
const std::string kEncodedPassword = "p%40ss%3Aw%2Fo%23r%25d%3Fx";

TEST(DatabaseUrlTest, BothSchemesGiveTheSameConnection) {
  const std::string expected =
      "host='db.example' port='5433' user='tel' password='secret' dbname='store' "
      "sslmode='require'";
  EXPECT_EQ(libpqConnectionString("postgresql://tel:secret@db.example:5433/store?sslmode=require"),
            expected);
  EXPECT_EQ(libpqConnectionString("postgres://tel:secret@db.example:5433/store?sslmode=require"),
            expected);
  EXPECT_TRUE(telemetry::storage::isPostgresUrl("postgres://x@h/d"));
  EXPECT_FALSE(telemetry::storage::isPostgresUrl("/var/lib/telemetry/postgres.db"));
}

TEST(DatabaseUrlTest, PercentEncodedUserAndPasswordAreDecoded) {
  EXPECT_EQ(libpqConnectionString("postgresql://us%40er:" + kEncodedPassword + "@h:5432/d"),
            "host='h' port='5432' user='us@er' password='" + kSpecialPassword + "' dbname='d'");
}

TEST(DatabaseUrlTest, ASpaceInThePasswordSaysWhereToPutItInstead) {
  // Poco's PostgreSQL connector splits its connection string at spaces, quoted or not.
  try {
    libpqConnectionString("postgresql://u:with%20Space@h/d");
    FAIL() << "accepted a password Poco would cut at the space";
  } catch (const Poco::SyntaxException& e) {
    EXPECT_THAT(e.displayText(), HasSubstr("PGPASSFILE"));
    EXPECT_THAT(e.displayText(), Not(HasSubstr("Space")));
  }
}

TEST(DatabaseUrlTest, TheLastAtSignEndsTheUserInfo) {
  EXPECT_EQ(libpqConnectionString("postgresql://u:p@ss:w@rd@h/d"),
            "host='h' user='u' password='p@ss:w@rd' dbname='d'");
}

TEST(DatabaseUrlTest, QuotesAndBackslashesAreEscapedForLibpq) {
  EXPECT_EQ(libpqConnectionString("postgresql://u:it%27s%5C@h/d"),
            R"(host='h' user='u' password='it\'s\\' dbname='d')");
}

TEST(DatabaseUrlTest, AnUnreadableUrlSaysWhatToEncodeAndHidesThePassword) {
  for (const std::string url : {"postgresql://u:se#cret@h/d", "postgresql://u:se?cret@h/d",
                                "postgresql://u:se/cret@h/d", "postgresql://u:se%zzcret@h/d"}) {
    try {
      libpqConnectionString(url);
      ADD_FAILURE() << url << " was accepted";
    } catch (const Poco::SyntaxException& e) {
      EXPECT_THAT(e.displayText(), HasSubstr("percent-encoded")) << url;
      EXPECT_THAT(e.displayText(), Not(HasSubstr("cret"))) << url;
    }
  }
}

TEST(DatabaseUrlTest, RedactionNeverShowsAPieceOfThePassword) {
  EXPECT_EQ(redactedLocation("postgresql://u:" + kEncodedPassword + "@h:5432/d"),
            "postgresql://u:***@h:5432/d");
  EXPECT_EQ(redactedLocation("postgres://u:p@ss@h/d"), "postgres://u:***@h/d");
  EXPECT_EQ(redactedLocation("postgresql://u:se?cr@et@h/d"), "postgresql://u:***@h/d");
  EXPECT_EQ(redactedLocation("postgresql://u:se/cr@et@h/d"), "postgresql://u:***@h/d");
  EXPECT_EQ(redactedLocation("postgresql://u@h:5432/d"), "postgresql://u@h:5432/d");
  EXPECT_EQ(redactedLocation("/var/lib/telemetry/state.db"), "/var/lib/telemetry/state.db");
}

/// A login role on the postgres fixture whose password has every special character; the
/// fixture's user is the server's superuser.
class PostgresPasswordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = telemetry::test::serviceUrl("postgres");
    role_ = "storage_test_" + std::to_string(std::random_device{}());
    auto db = openDatabase(admin_);
    *db.session << "CREATE ROLE " + role_ + " LOGIN PASSWORD '" + kSpecialPassword + "'", now;
  }
  void TearDown() override {
    auto db = openDatabase(admin_);
    *db.session << "DROP ROLE IF EXISTS " + role_, now;
  }

  /// The fixture URL with `role_` and `password` (as written in the URL; none if empty).
  std::string urlWith(const std::string& scheme, const std::string& password) const {
    const std::size_t host = admin_.rfind('@');
    return scheme + "://" + role_ + (password.empty() ? "" : ":" + password) + admin_.substr(host);
  }

  std::string currentUser(const std::string& url) {
    auto db = openDatabase(url);
    std::string user;
    *db.session << "SELECT current_user", into(user), now;
    return user;
  }

  std::string admin_;
  std::string role_;
};

TEST_F(PostgresPasswordTest, LogsInWithAPercentEncodedPasswordInBothUrlForms) {
  EXPECT_EQ(currentUser(urlWith("postgresql", kEncodedPassword)), role_);
  EXPECT_EQ(currentUser(urlWith("postgres", kEncodedPassword)), role_);
}

TEST_F(PostgresPasswordTest, LogsInWithAnUnencodedAtSignAndColon) {
  auto db = openDatabase(admin_);
  *db.session << "ALTER ROLE " + role_ + " PASSWORD 'a@b:c@d'", now;
  EXPECT_EQ(currentUser(urlWith("postgres", "a@b:c@d")), role_);
}

TEST_F(PostgresPasswordTest, APasswordWithSpacesWorksFromAPgpassFile) {
  auto db = openDatabase(admin_);
  *db.session << "ALTER ROLE " + role_ + " PASSWORD 'with spaces: and \\ too'", now;
  const std::string file = ::testing::TempDir() + "/" + role_ + ".pgpass";
  {
    std::ofstream out(file);
    out << "*:*:*:" << role_ << ":with spaces\\: and \\\\ too\n";
  }
  std::filesystem::permissions(
      file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  ::setenv("PGPASSFILE", file.c_str(), 1);
  EXPECT_EQ(currentUser(urlWith("postgresql", "")), role_) << "the URL has no password";
  ::unsetenv("PGPASSFILE");
  std::filesystem::remove(file);
}

TEST_F(PostgresPasswordTest, AWrongPasswordFailsWithoutShowingIt) {
  try {
    openDatabase(urlWith("postgresql", "wrongSecret%40x"));
    FAIL() << "logged in with a wrong password";
  } catch (const Poco::Exception& e) {
    EXPECT_THAT(e.displayText(), Not(HasSubstr("Secret")));
    EXPECT_THAT(e.displayText(), HasSubstr("password authentication failed"));
  }
}

}  // namespace
