#include "api/auth/password_hash.hpp"

#include <stdexcept>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using telemetry::api::hashPassword;
using telemetry::api::kDefaultPasswordIterations;
// Tests hash with the lowest allowed count: the KDF is the same, only cheaper.
using telemetry::api::kMinPasswordIterations;
using telemetry::api::passwordHashIterations;
using telemetry::api::unmatchablePasswordHash;
using telemetry::api::verifyPassword;
using ::testing::MatchesRegex;
using ::testing::StartsWith;

namespace {

// Made with Python: hashlib.pbkdf2_hmac("sha256", password, b"telemetry-salt16", 1000, 32).
constexpr const char* kPythonHash =
    "pbkdf2-sha256$1000$dGVsZW1ldHJ5LXNhbHQxNg==$u4jU/wxJSS2gQiA2haq/sQvYPNYkx7GAjKLleEIGOY8=";

TEST(PasswordHashTest, VerifiesTheRightPassword) {
  std::string hash = hashPassword("s3cret", kMinPasswordIterations);
  EXPECT_TRUE(verifyPassword("s3cret", hash));
}

TEST(PasswordHashTest, RefusesAWrongPassword) {
  std::string hash = hashPassword("s3cret", kMinPasswordIterations);
  EXPECT_FALSE(verifyPassword("s3creT", hash));
  EXPECT_FALSE(verifyPassword("s3cret ", hash));
  EXPECT_FALSE(verifyPassword("", hash));
}

TEST(PasswordHashTest, UsesOwaspsIterationCountByDefault) {
  std::string hash = hashPassword("correct horse");
  EXPECT_THAT(hash, StartsWith("pbkdf2-sha256$600000$"));
  EXPECT_EQ(passwordHashIterations(hash), kDefaultPasswordIterations);
  EXPECT_TRUE(verifyPassword("correct horse", hash));
}

TEST(PasswordHashTest, WritesSchemeIterationsSixteenByteSaltAndThirtyTwoByteKey) {
  EXPECT_THAT(hashPassword("x", kMinPasswordIterations),
              MatchesRegex(R"(pbkdf2-sha256\$1000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=)"));
}

TEST(PasswordHashTest, SaltsEveryHashAfresh) {
  EXPECT_NE(hashPassword("same", kMinPasswordIterations),
            hashPassword("same", kMinPasswordIterations));
}

TEST(PasswordHashTest, MatchesPbkdf2FromOtherImplementations) {
  EXPECT_TRUE(verifyPassword("correct horse battery staple", kPythonHash));
  EXPECT_FALSE(verifyPassword("correct horse battery stapler", kPythonHash));
}

TEST(PasswordHashTest, HandlesEmptyAndNonAsciiPasswords) {
  EXPECT_TRUE(verifyPassword("", hashPassword("", kMinPasswordIterations)));
  EXPECT_TRUE(verifyPassword("Pässwörd €", hashPassword("Pässwörd €", kMinPasswordIterations)));
}

TEST(PasswordHashTest, NeverHashesNorAcceptsAPasswordHoldingNul) {
  // HMAC pads its key with NUL bytes: "s3cret\0" would otherwise match "s3cret".
  std::string hash = hashPassword("s3cret", kMinPasswordIterations);
  EXPECT_FALSE(verifyPassword(std::string("s3cret\0", 7), hash));
  EXPECT_FALSE(verifyPassword(std::string("s3cret\0\0", 8), hash));
  EXPECT_THROW(hashPassword(std::string("a\0b", 3), kMinPasswordIterations), std::invalid_argument);
}

TEST(PasswordHashTest, RefusesToHashWithTooFewOrTooManyIterations) {
  EXPECT_THROW(hashPassword("x", 999), std::invalid_argument);
  EXPECT_THROW(hashPassword("x", 10'000'001), std::invalid_argument);
}

TEST(PasswordHashTest, UnmatchableHashIsWellFormedButMatchesNothing) {
  std::string hash = unmatchablePasswordHash(kMinPasswordIterations);
  EXPECT_EQ(passwordHashIterations(hash), kMinPasswordIterations);
  EXPECT_FALSE(verifyPassword("", hash));
  EXPECT_FALSE(verifyPassword("password", hash));
}

class MalformedHashTest : public ::testing::TestWithParam<std::string> {};

TEST_P(MalformedHashTest, IsRefusedWithoutThrowing) {
  EXPECT_FALSE(passwordHashIterations(GetParam()));
  EXPECT_NO_THROW(EXPECT_FALSE(verifyPassword("correct horse battery staple", GetParam())));
}

const std::string kSalt = "dGVsZW1ldHJ5LXNhbHQxNg==";
const std::string kKey = "u4jU/wxJSS2gQiA2haq/sQvYPNYkx7GAjKLleEIGOY8=";

INSTANTIATE_TEST_SUITE_P(
    Variants, MalformedHashTest,
    ::testing::Values(
        "", "pbkdf2-sha256", "pbkdf2-sha256$1000$" + kSalt,
        "pbkdf2-sha256$1000$" + kSalt + "$" + kKey + "$", "pbkdf2-sha1$1000$" + kSalt + "$" + kKey,
        "PBKDF2-SHA256$1000$" + kSalt + "$" + kKey, "pbkdf2-sha256$999$" + kSalt + "$" + kKey,
        "pbkdf2-sha256$10000001$" + kSalt + "$" + kKey,
        "pbkdf2-sha256$4294967296$" + kSalt + "$" + kKey,
        "pbkdf2-sha256$01000$" + kSalt + "$" + kKey, "pbkdf2-sha256$-1000$" + kSalt + "$" + kKey,
        "pbkdf2-sha256$1e3$" + kSalt + "$" + kKey, "pbkdf2-sha256$$" + kSalt + "$" + kKey,
        "pbkdf2-sha256$1000$$" + kKey, "pbkdf2-sha256$1000$" + kSalt + "$",
        "pbkdf2-sha256$1000$" + kSalt + "$" + kKey.substr(0, 40),
        "pbkdf2-sha256$1000$" + kSalt + "$" + kKey + "AAAA", "pbkdf2-sha256$1000$AAAA$" + kKey,
        "pbkdf2-sha256$1000$" + kSalt + "$" + kKey.substr(0, 43) + "!",
        "pbkdf2-sha256$1000$" + kSalt + "$ " + kKey.substr(1),
        "pbkdf2-sha256$1000$" + kSalt + "$" + kKey.substr(0, 42) + "9=",  // non-canonical
        "pbkdf2-sha256$1000$" + kSalt.substr(0, 22) + "$" + kKey,         // padding missing
        " pbkdf2-sha256$1000$" + kSalt + "$" + kKey,
        "pbkdf2-sha256$1000$" + kSalt + "$" + kKey + "\n"));

}  // namespace
