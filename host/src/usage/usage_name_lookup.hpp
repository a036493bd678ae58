// Hashing and comparing command names and task-worker ids. On the counting hot path, so
// both read eight bytes at a time, inline, where std::hash and memcmp would call out.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace telemetry {

namespace detail {

// The 64-bit finaliser of MurmurHash3: every input bit reaches the low bits used as index.
constexpr std::uint64_t mixBits(std::uint64_t x) noexcept {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdu;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53u;
  return x ^ (x >> 33);
}

// One multiply per word; mixBits at the end does the avalanche.
constexpr std::uint64_t absorb(std::uint64_t hash, std::uint64_t word) noexcept {
  return std::rotl((hash ^ word) * 0x9fb21c651e98df25u, 27);
}

inline std::uint64_t loadWord(const char* bytes) noexcept {
  std::uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

}  // namespace detail

/// A well-mixed 64-bit hash of a short string; not for untrusted keys in unbounded tables
/// (the tables using it are bounded).
inline std::uint64_t usageNameHash(std::string_view name) noexcept {
  const char* bytes = name.data();
  std::size_t left = name.size();
  std::uint64_t hash = 0x9e3779b97f4a7c15u * (left + 1);
  for (; left > 8; left -= 8, bytes += 8) hash = detail::absorb(hash, detail::loadWord(bytes));
  std::uint64_t tail = 0;
  // The last 1 to 8 bytes; with eight or more in all, a word that overlaps the one before.
  if (name.size() >= 8) {
    tail = detail::loadWord(name.data() + name.size() - 8);
  } else {
    for (std::size_t i = 0; i < left; ++i)
      tail |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * i);
  }
  return detail::mixBits(detail::absorb(hash, tail));
}

/// Whether two names are equal; for the short names the tables hold, faster than memcmp.
inline bool usageNamesEqual(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  const std::size_t size = a.size();
  if (size < 8) {
    for (std::size_t i = 0; i < size; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  for (std::size_t i = 0; i + 8 < size; i += 8) {
    if (detail::loadWord(a.data() + i) != detail::loadWord(b.data() + i)) return false;
  }
  return detail::loadWord(a.data() + size - 8) == detail::loadWord(b.data() + size - 8);
}

}  // namespace telemetry
