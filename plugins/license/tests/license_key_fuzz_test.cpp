// Planted signatures against the license key parser, judged by an oracle of its own: the test
// makes realistic signatures (base64 of random bytes, 64 to 700 characters, standard and
// base64url), puts them into every layout a key arrives in, and asserts that no piece of 12 or
// more of their characters is in anything the parser hands out. It never asks the parser's
// own signature test. Fixed seeds, so a failure reproduces.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "license_key.hpp"

using telemetry::plugins::license::LicenseKey;

namespace {

constexpr std::size_t kLeakLength = 12;

const std::vector<std::string> kUnifiedBodies = {
    "customer=customer name;expiryDate=2022-09-30;camundaBPM=true;optimize=false;cawemo=false",
    "customer=ACME Corp;expiryDate=2030-01-31;camundaBPM=true;optimize=true;cawemo=false;"
    "zeebe=true;unlimitedSeats=false",
    "customer=Müller & Söhne GmbH;camundaBPM=true",
};

// Standard base64 (RFC 4648 section 4, with `=` padding) or base64url (section 5, unpadded),
// written here so the oracle shares nothing with the parser.
std::string base64(const std::vector<unsigned char>& bytes, bool url) {
  const char* alphabet = url ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                             : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t group = bytes[i] << 16;
    if (i + 1 < bytes.size()) group |= bytes[i + 1] << 8;
    if (i + 2 < bytes.size()) group |= bytes[i + 2];
    std::size_t present = std::min<std::size_t>(3, bytes.size() - i);
    for (std::size_t k = 0; k < 4; ++k) {
      if (k <= present) {
        out += alphabet[(group >> (18 - 6 * k)) & 63];
      } else if (!url) {
        out += '=';
      }
    }
  }
  return out;
}

std::string randomSignature(std::mt19937& random, std::size_t minBytes, std::size_t maxBytes) {
  std::uniform_int_distribution<std::size_t> length(minBytes, maxBytes);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<unsigned char> bytes(length(random));
  for (unsigned char& b : bytes) b = static_cast<unsigned char>(byte(random));
  return base64(bytes, std::bernoulli_distribution(0.25)(random));
}

// Lines of `width` characters, as mail clients and PEM-style tools wrap.
std::string wrapped(const std::string& text, std::size_t width, const std::string& newline) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += width) {
    if (i > 0) out += newline;
    out += text.substr(i, width);
  }
  return out;
}

struct Layout {
  std::string name;
  std::string key;
  bool wrapsFields = false;  // a space at a wrap is lost (lines are trimmed)
};

// Every way a signature was seen next to the fields of a key.
std::vector<Layout> layouts(const std::string& signature, const std::string& body,
                            const std::string& newline) {
  std::vector<Layout> all = {
      {"signature;body", signature + ";" + body},
      {"body;signature", body + ";" + signature},
      {"signature on its own line before", signature + newline + body},
      {"signature on its own line after", body + newline + signature},
      {"body; then signature line", body + ";" + newline + signature},
      {"signature; then body line", signature + ";" + newline + body},
      {"signature= field", body + ";signature=" + signature},
      {"signature between fields",
       body.substr(0, body.find(';') + 1) + signature + body.substr(body.find(';'))},
  };
  for (std::size_t width : {64u, 76u}) {
    std::string w = std::to_string(width);
    all.push_back({"signature wrapped at " + w + " before",
                   wrapped(signature, width, newline) + newline + body});
    all.push_back({"signature wrapped at " + w + " after",
                   body + newline + wrapped(signature, width, newline)});
    all.push_back({"key wrapped at " + w + ", signature first",
                   wrapped(signature + ";" + body, width, newline), true});
    all.push_back({"key wrapped at " + w + ", signature last",
                   wrapped(body + ";" + signature, width, newline), true});
    all.push_back(
        {"key wrapped at " + w + ", signature between",
         wrapped(body.substr(0, body.find(';') + 1) + signature + body.substr(body.find(';')),
                 width, newline),
         true});
  }
  std::vector<Layout> armoured;
  for (const Layout& layout : all) {
    armoured.push_back({layout.name + ", armoured",
                        "----- BEGIN CAMUNDA LICENSE KEY -----" + newline + layout.key + newline +
                            "----- END CAMUNDA LICENSE KEY -----" + newline,
                        layout.wrapsFields});
  }
  all.insert(all.end(), armoured.begin(), armoured.end());
  return all;
}

void collectStrings(const Poco::Dynamic::Var& value, std::string& out) {
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    for (const auto& [name, member] : *value.extract<Poco::JSON::Object::Ptr>()) {
      out += name + "\n";
      collectStrings(member, out);
    }
  } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    for (const auto& element : *value.extract<Poco::JSON::Array::Ptr>()) {
      collectStrings(element, out);
    }
  } else {
    out += value.convert<std::string>() + "\n";
  }
}

// Everything the parser hands out: both report forms, as JSON text and decoded (JSON may
// escape `/`), and the form the host stores.
std::string everythingHandedOut(const LicenseKey& key) {
  std::string out = key.raw() + "\n" + key.withoutSignature() + "\n";
  for (bool structured : {true, false}) {
    std::string json = key.toJson(structured);
    out += json + "\n";
    collectStrings(Poco::JSON::Parser().parse(json), out);
  }
  return out;
}

std::string withoutSpaces(std::string text) {
  std::erase(text, ' ');
  return text;
}

// The first piece of `signature` of kLeakLength characters found in `text`, or "".
std::string leakedPiece(const std::string& signature, const std::string& text) {
  for (std::size_t i = 0; i + kLeakLength <= signature.size(); ++i) {
    std::string piece = signature.substr(i, kLeakLength);
    if (text.find(piece) != std::string::npos) return piece;
  }
  return "";
}

}  // namespace

TEST(LicenseKeyFuzzTest, the_oracle_sees_a_planted_signature) {
  const std::string signature = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=";
  EXPECT_EQ(leakedPiece(signature, "raw: x" + signature.substr(7, 12) + "y"),
            signature.substr(7, 12));
  EXPECT_EQ(leakedPiece(signature, "raw: x" + signature.substr(7, 11) + "y"), "");
  EXPECT_EQ(base64({'M', 'a', 'n', 'y', ' '}, false), "TWFueSA=");
  EXPECT_EQ(base64({0xfb, 0xff}, true), "-_8");
}

TEST(LicenseKeyFuzzTest, no_planted_signature_leaves_in_any_layout_and_the_fields_stay) {
  std::mt19937 random(20261205);
  int keys = 0;
  for (int round = 0; round < 40; ++round) {
    std::string signature = randomSignature(random, 48, 525);
    for (const std::string& body : kUnifiedBodies) {
      for (const char* newline : {"\n", "\r\n"}) {
        for (const Layout& layout : layouts(signature, body, newline)) {
          ++keys;
          LicenseKey key = LicenseKey::parse(layout.key);
          std::string leaked = leakedPiece(signature, everythingHandedOut(key));
          ASSERT_EQ(leaked, "") << layout.name << ": '" << leaked << "' of the signature in "
                                << key.toJson() << "\nkey:\n"
                                << layout.key;
          EXPECT_EQ(layout.wrapsFields ? withoutSpaces(key.raw()) : key.raw(),
                    layout.wrapsFields ? withoutSpaces(body) : body)
              << layout.name << "\nkey:\n"
              << layout.key;
          EXPECT_TRUE(key.structured()) << layout.name;
          EXPECT_EQ(LicenseKey::parse(key.withoutSignature()).toJson(), key.toJson())
              << layout.name << ": the stored form does not give the same section";
        }
      }
    }
  }
  EXPECT_GT(keys, 8000);
}

TEST(LicenseKeyFuzzTest, camundas_first_field_is_never_reported_however_short) {
  std::mt19937 random(7150);
  for (std::size_t bytes = 1; bytes <= 40; ++bytes) {
    std::string signature = randomSignature(random, bytes, bytes);
    for (const std::string& body : kUnifiedBodies) {
      LicenseKey key = LicenseKey::parse(signature + ";" + body);
      EXPECT_EQ(key.raw(), body) << "signature '" << signature << "'";
      EXPECT_EQ(LicenseKey::parse(key.withoutSignature()).raw(), body);
    }
    EXPECT_EQ(LicenseKey::parse(signature + ";ACME Corp;2030-01-31").raw(), "ACME Corp;2030-01-31")
        << "the legacy layout, signature '" << signature << "'";
  }
}

// Signatures dropped between random bytes, always with a separator on either side (a `;` or
// a line break, the ways a key separates its parts): never reported, and whatever the bytes,
// the parser never throws and always yields a JSON object with "raw".
TEST(LicenseKeyFuzzTest, no_signature_planted_among_random_bytes_leaves) {
  const std::vector<std::string> pieces = {";",          "=",          "\n",
                                           "\r\n",       " ",          "-----",
                                           "BEGIN",      "END",        "CAMUNDA LICENSE KEY",
                                           "customer",   "expiryDate", "2022-09-30",
                                           "2022-99-99", "unlimited",  "true",
                                           "false",      "camundaBPM", "\"",
                                           "\\",         "\xC3\xA9",   "\x01",
                                           "==",         "+/"};
  const std::vector<std::string> separators = {";", "\n", "\r\n", ";\n", "\n;"};
  std::mt19937 random(20240611);
  std::uniform_int_distribution<int> length(0, 30);
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size());
  std::uniform_int_distribution<std::size_t> separator(0, separators.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  auto randomText = [&] {
    std::string text;
    for (int i = length(random); i > 0; --i) {
      std::size_t choice = piece(random);
      text += choice == pieces.size() ? std::string(1, static_cast<char>(byte(random)))
                                      : pieces[choice];
    }
    return text;
  };
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::string signature = randomSignature(random, 48, 525);
    std::string stored = randomText() + separators[separator(random)] + signature +
                         separators[separator(random)] + randomText();
    LicenseKey key = LicenseKey::parse(stored);
    Poco::JSON::Object::Ptr json;
    ASSERT_NO_THROW(json =
                        Poco::JSON::Parser().parse(key.toJson()).extract<Poco::JSON::Object::Ptr>())
        << "iteration " << iteration;
    ASSERT_TRUE(json->has("raw")) << "iteration " << iteration;
    std::string leaked = leakedPiece(signature, everythingHandedOut(key));
    ASSERT_EQ(leaked, "") << "iteration " << iteration << ": '" << leaked << "' in "
                          << key.toJson();
  }
}
