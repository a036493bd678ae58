// Salted, slow password hashes for the REST API users file: PBKDF2-HMAC-SHA256 in the
// self-describing form `pbkdf2-sha256$<iterations>$<salt base64>$<hash base64>`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace telemetry::api {

/// OWASP's recommendation for PBKDF2-HMAC-SHA256 (about 0.3 s on one core).
inline constexpr unsigned kDefaultPasswordIterations = 600000;
/// Iteration counts outside this range make a hash malformed: too few is no protection,
/// too many turns every login into a denial of service.
inline constexpr unsigned kMinPasswordIterations = 1000;
inline constexpr unsigned kMaxPasswordIterations = 10'000'000;

/// Hashes `password` with a fresh 16-byte random salt into a 32-byte key. Throws
/// std::invalid_argument for an iteration count outside the allowed range or a password
/// holding NUL, and std::runtime_error when OpenSSL fails.
std::string hashPassword(std::string_view password,
                         unsigned iterations = kDefaultPasswordIterations);

/// True when `password` matches `encoded` (compared in constant time); false for a wrong
/// password, a password holding NUL (HMAC would read "pw\0" as "pw") and for anything that
/// is not a well-formed hash. Never throws.
bool verifyPassword(std::string_view password, std::string_view encoded) noexcept;

/// The iteration count of a well-formed hash, or nullopt when `encoded` is malformed.
std::optional<unsigned> passwordHashIterations(std::string_view encoded) noexcept;

/// A well-formed hash that no password matches and that costs as much to verify as a real
/// one with `iterations`: checked for unknown user names so they take as long as known ones.
std::string unmatchablePasswordHash(unsigned iterations = kDefaultPasswordIterations);

}  // namespace telemetry::api
