#include "store/ip_hasher.hpp"

#include <Poco/DigestEngine.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/RandomStream.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
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

std::string systemError(const std::filesystem::path& file, const std::string& what) {
  return file.string() + ": " + what + ": " + std::strerror(errno);
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

IpHasher IpHasher::fromSecretFile(const std::filesystem::path& file) {
  // O_EXCL: two collectors starting at once must not each write a different secret.
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    std::array<char, 32> random{};
    Poco::RandomInputStream().read(random.data(), random.size());
    Poco::DigestEngine::Digest bytes(random.begin(), random.end());
    const std::string hex = Poco::DigestEngine::digestToHex(bytes) + "\n";
    const bool written = ::write(fd, hex.data(), hex.size()) == static_cast<ssize_t>(hex.size());
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!written || !synced) throw std::runtime_error(systemError(file, "cannot write the secret"));
  } else if (errno != EEXIST) {
    throw std::runtime_error(systemError(file, "cannot create the secret file"));
  }

  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) {
    throw std::runtime_error(systemError(file, "cannot read the secret file"));
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw std::runtime_error(file.string() +
                             ": the secret file must be readable by its owner only (chmod 600)");
  }
  std::ifstream in(file);
  std::string secret;
  std::getline(in, secret);
  if (secret.size() < 32) {
    throw std::runtime_error(file.string() + ": the secret file holds less than 32 characters");
  }
  return IpHasher(secret);
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
