// Turns a client IP into HMAC-SHA256(secret, ip) hex: the only form in which an IP is kept.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>

namespace telemetry::collector {

/// Keyed IP hashing with one key (IpKeyRing rotates them); without the key a stored hash
/// cannot be reversed by trying all 2^32 IPv4 addresses.
class IpHasher {
 public:
  /// `secret`: at least 16 bytes. Throws std::runtime_error.
  explicit IpHasher(std::string secret);

  /// Lower-case hex HMAC-SHA256 of the address in canonical text form; an IPv4-mapped IPv6
  /// address hashes like the IPv4 address so dual-stack listeners do not split a sender.
  std::string hash(const std::string& ip) const;

 private:
  // HMAC's inner and outer SHA-256 states after the padded key, computed once: setting up
  // the key cost more than hashing an address. Shared read-only by copies and threads.
  std::shared_ptr<const EVP_MD_CTX> inner_;
  std::shared_ptr<const EVP_MD_CTX> outer_;
};

}  // namespace telemetry::collector
