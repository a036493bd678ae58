// Randomized inputs for the license key parser: it must never crash, always produce a JSON
// object with "raw", and never let a signature-shaped field through. Fixed seed, so a
// failure reproduces.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "license_key.hpp"

using telemetry::plugins::license::LicenseKey;
using telemetry::plugins::license::looksLikeSignature;

namespace {

// Pieces that steer random keys into the parser's interesting paths.
const std::vector<std::string> kPieces = {
    ";",          "=",          "\n",
    "\r\n",       " ",          "-----",
    "BEGIN",      "END",        "CAMUNDA LICENSE KEY",
    "customer",   "expiryDate", "2022-09-30",
    "2022-99-99", "unlimited",  "true",
    "false",      "camundaBPM", "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuTWFueSBoYW5k==",
    "\"",         "\\",         "\xC3\xA9",
    "\x01"};

std::string randomKey(std::mt19937& random) {
  std::uniform_int_distribution<int> length(0, 40);
  std::uniform_int_distribution<std::size_t> piece(0, kPieces.size());
  std::uniform_int_distribution<int> byte(0, 255);
  std::string key;
  for (int i = length(random); i > 0; --i) {
    std::size_t choice = piece(random);
    if (choice == kPieces.size()) {
      key += static_cast<char>(byte(random));
    } else {
      key += kPieces[choice];
    }
  }
  return key;
}

}  // namespace

TEST(LicenseKeyFuzzTest, survives_random_keys_and_never_reports_a_signature) {
  std::mt19937 random(20240611);
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string stored = randomKey(random);
    LicenseKey key = LicenseKey::parse(stored);
    Poco::JSON::Object::Ptr json;
    ASSERT_NO_THROW(json =
                        Poco::JSON::Parser().parse(key.toJson()).extract<Poco::JSON::Object::Ptr>())
        << "iteration " << iteration;
    ASSERT_TRUE(json->has("raw")) << "iteration " << iteration;
    std::string raw = key.raw();
    std::size_t start = 0;
    while (start <= raw.size()) {
      std::size_t end = std::min(raw.find(';', start), raw.size());
      ASSERT_FALSE(looksLikeSignature(raw.substr(start, end - start)))
          << "iteration " << iteration << ": " << raw;
      start = end + 1;
    }
  }
}
