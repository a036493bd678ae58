#include "store/ip_hasher.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/Net/IPAddress.h>
#include <openssl/evp.h>

#include <array>
#include <cstring>
#include <stdexcept>

namespace telemetry::collector {
namespace {

std::string canonicalIp(const std::string& ip) {
  Poco::Net::IPAddress address;
  if (!Poco::Net::IPAddress::tryParse(ip, address)) return ip;
  if (address.family() == Poco::Net::IPAddress::IPv6 && address.isIPv4Mapped()) {
    const auto* bytes = static_cast<const unsigned char*>(address.addr());
    return std::to_string(bytes[12]) + "." + std::to_string(bytes[13]) + "." +
           std::to_string(bytes[14]) + "." + std::to_string(bytes[15]);
  }
  return address.toString();
}

constexpr std::size_t kBlock = 64;  // SHA-256's block size

// SHA-256 after absorbing the key block XOR `pad` (HMAC's ipad or opad).
std::shared_ptr<const EVP_MD_CTX> keyedState(const std::array<unsigned char, kBlock>& key,
                                             unsigned char pad) {
  std::shared_ptr<EVP_MD_CTX> state(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::array<unsigned char, kBlock> block{};
  for (std::size_t i = 0; i < kBlock; ++i) block[i] = key[i] ^ pad;
  if (!state || EVP_DigestInit_ex(state.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(state.get(), block.data(), block.size()) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return state;
}

}  // namespace

IpHasher::IpHasher(std::string secret) {
  if (secret.size() < 16) throw std::runtime_error("the IP hash secret is too short");
  // RFC 2104: a key longer than SHA-256's block is hashed first, then padded to the block.
  std::array<unsigned char, kBlock> key{};
  if (secret.size() > kBlock) {
    unsigned int length = 0;
    if (EVP_Digest(secret.data(), secret.size(), key.data(), &length, EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("SHA-256 failed");
  } else {
    std::memcpy(key.data(), secret.data(), secret.size());
  }
  inner_ = keyedState(key, 0x36);
  outer_ = keyedState(key, 0x5c);
}

std::string IpHasher::hash(const std::string& ip) const {
  // OpenSSL's SHA-256 uses the CPU's SHA instructions, Poco's SHA2Engine does not; this runs
  // for every request.
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const std::string text = canonicalIp(ip);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  const bool hashed = EVP_MD_CTX_copy_ex(context.get(), inner_.get()) == 1 &&
                      EVP_DigestUpdate(context.get(), text.data(), text.size()) == 1 &&
                      EVP_DigestFinal_ex(context.get(), digest, &length) == 1 &&
                      EVP_MD_CTX_copy_ex(context.get(), outer_.get()) == 1 &&
                      EVP_DigestUpdate(context.get(), digest, length) == 1 &&
                      EVP_DigestFinal_ex(context.get(), digest, &length) == 1;
  if (!hashed) throw std::runtime_error("HMAC-SHA256 failed");
  return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(digest, digest + length));
}

}  // namespace telemetry::collector
