#include "api/auth/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <stdexcept>
#include <vector>

namespace telemetry::api {
namespace {

constexpr std::string_view kScheme = "pbkdf2-sha256";
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kKeyBytes = 32;  // SHA-256's output: more would only slow us, not attackers
constexpr std::size_t kMinSaltBytes = 8;
constexpr std::size_t kMaxSaltBytes = 64;

using Bytes = std::vector<unsigned char>;

std::string base64(const unsigned char* data, std::size_t size) {
  std::string text(4 * ((size + 2) / 3) + 1, '\0');
  int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), data, static_cast<int>(size));
  text.resize(static_cast<std::size_t>(written));
  return text;
}

/// Decodes padded standard base64, accepting only the canonical spelling (what base64()
/// writes), so one hash has exactly one text form.
std::optional<Bytes> unbase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > 1024) return std::nullopt;
  Bytes bytes(text.size() / 4 * 3);
  int decoded = EVP_DecodeBlock(bytes.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (decoded < 0) return std::nullopt;
  std::size_t padding = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
  bytes.resize(static_cast<std::size_t>(decoded) - padding);
  if (base64(bytes.data(), bytes.size()) != text) return std::nullopt;
  return bytes;
}

struct ParsedHash {
  unsigned iterations = 0;
  Bytes salt;
  Bytes key;
};

std::optional<ParsedHash> parse(std::string_view encoded) {
  std::array<std::string_view, 4> fields;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::size_t end = encoded.find('$');
    if ((end == std::string_view::npos) != (i == fields.size() - 1)) return std::nullopt;
    fields[i] = encoded.substr(0, end);
    encoded.remove_prefix(end == std::string_view::npos ? encoded.size() : end + 1);
  }
  if (fields[0] != kScheme) return std::nullopt;

  ParsedHash hash;
  const std::string_view count = fields[1];
  if (count.empty() || count.front() == '0') return std::nullopt;
  auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), hash.iterations);
  if (error != std::errc() || end != count.data() + count.size()) return std::nullopt;
  if (hash.iterations < kMinPasswordIterations || hash.iterations > kMaxPasswordIterations) {
    return std::nullopt;
  }
  auto salt = unbase64(fields[2]);
  auto key = unbase64(fields[3]);
  if (!salt || salt->size() < kMinSaltBytes || salt->size() > kMaxSaltBytes) return std::nullopt;
  if (!key || key->size() != kKeyBytes) return std::nullopt;
  hash.salt = std::move(*salt);
  hash.key = std::move(*key);
  return hash;
}

std::string format(unsigned iterations, const Bytes& salt, const Bytes& key) {
  return std::string(kScheme) + "$" + std::to_string(iterations) + "$" +
         base64(salt.data(), salt.size()) + "$" + base64(key.data(), key.size());
}

// HMAC pads its key with NUL bytes, so "pw" and "pw\0" would derive the same hash: a
// password holding NUL is never hashed nor accepted.
bool holdsNul(std::string_view password) { return password.find('\0') != std::string_view::npos; }

bool derive(std::string_view password, const Bytes& salt, unsigned iterations, Bytes& key) {
  if (password.size() > INT_MAX) return false;
  return PKCS5_PBKDF2_HMAC(password.empty() ? "" : password.data(),
                           static_cast<int>(password.size()), salt.data(),
                           static_cast<int>(salt.size()), static_cast<int>(iterations),
                           EVP_sha256(), static_cast<int>(key.size()), key.data()) == 1;
}

}  // namespace

std::string hashPassword(std::string_view password, unsigned iterations) {
  if (iterations < kMinPasswordIterations || iterations > kMaxPasswordIterations) {
    throw std::invalid_argument("PBKDF2 iterations must be from " +
                                std::to_string(kMinPasswordIterations) + " to " +
                                std::to_string(kMaxPasswordIterations));
  }
  if (holdsNul(password)) throw std::invalid_argument("a password must not hold a NUL character");
  Bytes salt(kSaltBytes);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("cannot get random bytes for a password salt from OpenSSL");
  }
  Bytes key(kKeyBytes);
  if (!derive(password, salt, iterations, key)) {
    throw std::runtime_error("OpenSSL PBKDF2-HMAC-SHA256 failed");
  }
  return format(iterations, salt, key);
}

bool verifyPassword(std::string_view password, std::string_view encoded) noexcept {
  try {
    auto hash = parse(encoded);
    if (!hash || holdsNul(password)) return false;
    Bytes key(hash->key.size());
    if (!derive(password, hash->salt, hash->iterations, key)) return false;
    return CRYPTO_memcmp(key.data(), hash->key.data(), key.size()) == 0;
  } catch (...) {  // only std::bad_alloc can get here; a failed check is a refusal
    return false;
  }
}

std::optional<unsigned> passwordHashIterations(std::string_view encoded) noexcept {
  try {
    auto hash = parse(encoded);
    if (!hash) return std::nullopt;
    return hash->iterations;
  } catch (...) {
    return std::nullopt;
  }
}

std::string unmatchablePasswordHash(unsigned iterations) {
  // An all-zero key: finding a password that derives it means breaking SHA-256.
  return format(std::clamp(iterations, kMinPasswordIterations, kMaxPasswordIterations),
                Bytes(kSaltBytes), Bytes(kKeyBytes));
}

}  // namespace telemetry::api
