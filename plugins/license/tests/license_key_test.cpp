#include "license_key.hpp"

#include <gtest/gtest.h>

using telemetry::plugins::license::LicenseKey;
using telemetry::plugins::license::looksLikeSignature;

namespace {

const std::string kSignature =
    "TWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsuTWFueSBoYW5kcyBtYWtlIGxpZ2h0IHdvcmsu+/Ab==";
const std::string kSpecRaw =
    "customer=customer name;expiryDate=2022-09-30;camundaBPM=true;optimize=false;cawemo=false";

std::string armoured(const std::string& body) {
  return "--------------- BEGIN CAMUNDA LICENSE KEY ---------------\n" + body +
         "\n--------------- END CAMUNDA LICENSE KEY -----------------\n";
}

}  // namespace

TEST(LicenseKeyTest, matches_the_specification_example) {
  EXPECT_EQ(LicenseKey::parse(armoured(kSignature + ";" + kSpecRaw)).toJson(),
            R"({"customer":"customer name","type":"UNIFIED","valid-until":"2022-09-30",)"
            R"("unlimited":false,"features":{"camundaBPM":"true"},)"
            R"("raw":"customer=customer name;expiryDate=2022-09-30;camundaBPM=true;)"
            R"(optimize=false;cawemo=false"})");
}

TEST(LicenseKeyTest, never_keeps_the_signature) {
  std::string json = LicenseKey::parse(armoured(kSignature + ";" + kSpecRaw)).toJson();
  EXPECT_EQ(json.find(kSignature.substr(0, 20)), std::string::npos) << json;
}

TEST(LicenseKeyTest, drops_a_field_named_signature_whatever_its_value) {
  LicenseKey key = LicenseKey::parse(kSpecRaw + ";signature=" + kSignature + "; Signature = abc");
  EXPECT_EQ(key.raw(), kSpecRaw);
  EXPECT_TRUE(key.structured());
}

TEST(LicenseKeyTest, accepts_a_key_without_armour) {
  EXPECT_EQ(LicenseKey::parse(kSignature + ";" + kSpecRaw).raw(), kSpecRaw);
}

TEST(LicenseKeyTest, joins_a_key_wrapped_over_lines) {
  auto key = LicenseKey::parse(armoured(kSignature + ";customer=ACME;\nexpiryDate=2030-01-31"));
  EXPECT_EQ(key.raw(), "customer=ACME;expiryDate=2030-01-31");
  EXPECT_EQ(key.validUntil(), "2030-01-31");
}

TEST(LicenseKeyTest, treats_a_key_without_expiry_as_unlimited) {
  auto key = LicenseKey::parse("customer=ACME;camundaBPM=true");
  EXPECT_TRUE(key.unlimited());
  EXPECT_FALSE(key.validUntil().has_value());
  EXPECT_EQ(key.toJson(),
            R"({"customer":"ACME","type":"UNIFIED","unlimited":true,)"
            R"("features":{"camundaBPM":"true"},"raw":"customer=ACME;camundaBPM=true"})");
}

TEST(LicenseKeyTest, reports_only_raw_for_the_legacy_format) {
  auto key = LicenseKey::parse(kSignature + ";ACME Corp;2030-01-31");
  EXPECT_EQ(key.toJson(), R"({"raw":"ACME Corp;2030-01-31"})");
}

TEST(LicenseKeyTest, reports_only_raw_for_a_malformed_expiry_date) {
  auto key = LicenseKey::parse("customer=ACME;expiryDate=2030-13-01");
  EXPECT_FALSE(key.structured());
  EXPECT_EQ(key.raw(), "customer=ACME;expiryDate=2030-13-01");
}

TEST(LicenseKeyTest, reports_only_raw_for_an_unknown_attribute_value) {
  EXPECT_FALSE(LicenseKey::parse("customer=ACME;seats=20").structured());
}

TEST(LicenseKeyTest, reports_only_raw_without_customer) {
  EXPECT_FALSE(LicenseKey::parse("expiryDate=2030-01-31;camundaBPM=true").structured());
}

TEST(LicenseKeyTest, yields_an_empty_raw_for_armour_alone) {
  EXPECT_EQ(LicenseKey::parse(armoured("")).raw(), "");
}

TEST(LicenseKeyTest, recognises_base64_signatures) {
  EXPECT_TRUE(looksLikeSignature(kSignature));
  EXPECT_FALSE(looksLikeSignature("customer=customer name"));
  EXPECT_FALSE(looksLikeSignature("short+sig=="));
}

TEST(LicenseKeyTest, never_glues_a_signature_on_its_own_line_to_a_field) {
  for (const std::string& key :
       {kSpecRaw + "\n" + kSignature, kSignature + "\n" + kSpecRaw,
        armoured(kSpecRaw + "\n" + kSignature.substr(0, 40) + "\n" + kSignature.substr(40))}) {
    EXPECT_EQ(LicenseKey::parse(key).raw(), kSpecRaw) << key;
  }
}

TEST(LicenseKeyTest, drops_camundas_first_field_however_short) {
  EXPECT_EQ(LicenseKey::parse("c2ln;" + kSpecRaw).raw(), kSpecRaw);
  EXPECT_EQ(LicenseKey::parse("QUI=;" + kSpecRaw).raw(), kSpecRaw);
  EXPECT_EQ(LicenseKey::parse(kSpecRaw).raw(), kSpecRaw) << "no signature: customer= stays first";
}

TEST(LicenseKeyTest, its_stored_form_has_no_signature_and_parses_to_the_same_key) {
  auto key = LicenseKey::parse(armoured(kSignature + ";ACME Corp;2030-01-31"));
  EXPECT_EQ(key.withoutSignature(), ";ACME Corp;2030-01-31");
  EXPECT_EQ(LicenseKey::parse(key.withoutSignature()).raw(), "ACME Corp;2030-01-31");
  EXPECT_EQ(LicenseKey::parse(LicenseKey::parse(kSpecRaw).withoutSignature()).toJson(),
            LicenseKey::parse(kSpecRaw).toJson());
}
