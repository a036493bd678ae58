// Fuzz target: a stored license key (as an operator or the admin page set it) through
// LicenseKey::parse() and into the report's license-key JSON, which must stay JSON.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "license_key.hpp"

namespace {

// Structure only: whether invalid UTF-8 may pass is a question for the report's checks.
bool isJsonObject(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.data(), text.size());
  return !document.HasParseError() && document.IsObject();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using telemetry::plugins::license::LicenseKey;
  const std::string_view stored(reinterpret_cast<const char*>(data), size);
  const LicenseKey key = LicenseKey::parse(stored);
  if (key.structured() && !key.customer()) std::abort();
  if (!isJsonObject(key.toJson(true)) || !isJsonObject(key.toJson(false))) std::abort();
  telemetry::plugins::license::looksLikeSignature(stored);
  return 0;
}
