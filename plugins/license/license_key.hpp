// A Camunda license key reduced to what the report may carry: never its signature.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace telemetry::plugins::license {

/// Parses a key as given: BEGIN/END armour lines are stripped, every signature is dropped
/// (a first field before `;` that is not `name=value`, as in Camunda's
/// `signature;customer=...` layout; a field or block of lines of 32+ base64 characters; a
/// `signature=` field), and the rest is kept as `raw`. The unified format
/// `customer=...;expiryDate=YYYY-MM-DD;<feature>=true|false;...` also yields customer, type
/// "UNIFIED", valid-until, unlimited and the enabled features; any other format yields
/// only `raw`. Never throws for any input.
class LicenseKey {
 public:
  static LicenseKey parse(std::string_view stored);

  /// The key without armour and signature; empty when nothing else was stored.
  const std::string& raw() const { return raw_; }
  /// What may be stored of the key: Camunda's layout with the signature field left empty,
  /// `;` + raw. parse() of it gives this key again.
  std::string withoutSignature() const;
  bool structured() const { return customer_.has_value(); }
  const std::optional<std::string>& customer() const { return customer_; }
  const std::optional<std::string>& validUntil() const { return validUntil_; }
  bool unlimited() const { return unlimited_; }
  /// Features switched on, in the order of the key, with their value ("true").
  const std::vector<std::pair<std::string, std::string>>& features() const { return features_; }

  /// The report's license-key object: customer, type, valid-until, unlimited, features,
  /// raw; only raw for unknown formats or when `structured` is false.
  std::string toJson(bool structured = true) const;

 private:
  std::string raw_;
  std::optional<std::string> customer_;
  std::optional<std::string> validUntil_;
  bool unlimited_ = false;
  std::vector<std::pair<std::string, std::string>> features_;
};

/// True for a field that looks like a signature (a long run of base64/base64url
/// characters with optional padding), which must never be reported.
bool looksLikeSignature(std::string_view field);

}  // namespace telemetry::plugins::license
