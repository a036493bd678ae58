// The distinct task-worker ids a UsageRegistry saw since its last drain, packed tightly
// because a large fleet can send a million of them in one minute.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace telemetry {

/// A set of short strings (1 to 255 bytes) with a fixed maximum size: the ids live in
/// 16 KiB blocks behind a one-byte length, found through an open-addressing table of
/// 8-byte slots (block offset and hash tag).
class WorkerIdSet {
 public:
  /// The most ids a set can hold, so that every offset fits in 32 bits.
  static constexpr std::size_t kMaxLimit = 16'000'000;

  explicit WorkerIdSet(std::size_t limit) noexcept;

  /// Adds an id of 1 to 255 bytes unless present; false when it is new and the set is full.
  bool add(std::string_view id);
  std::size_t size() const noexcept { return size_; }
  /// Every id, in the order added.
  std::vector<std::string> ids() const;
  /// Forgets every id and frees the memory.
  void clear() noexcept;

 private:
  std::string_view at(std::uint32_t offset) const noexcept;
  std::uint32_t store(std::string_view id);
  void grow();
  std::size_t emptySlotFor(std::size_t hash) const noexcept;

  std::size_t limit_;
  std::size_t size_ = 0;
  std::vector<std::uint64_t> slots_;  ///< offset << 32 | hash tag; 0 = empty
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::size_t lastBlockUsed_;
};

}  // namespace telemetry
