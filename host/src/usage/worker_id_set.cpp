#include "usage/worker_id_set.hpp"

#include <algorithm>
#include <cstring>

#include "usage/usage_name_lookup.hpp"

namespace telemetry {
namespace {

constexpr std::size_t kBlockSize = 16 * 1024;
constexpr std::size_t kFirstTableSize = 64;

// The high half of the hash, never 0 so that 0 can mark an empty slot.
std::uint64_t tagOf(std::size_t hash) noexcept {
  return (static_cast<std::uint64_t>(hash) >> 32) | 1u;
}

constexpr std::uint64_t kTagMask = 0xffff'ffffu;

}  // namespace

WorkerIdSet::WorkerIdSet(std::size_t limit) noexcept
    : limit_(std::min(limit, kMaxLimit)), lastBlockUsed_(kBlockSize) {}

bool WorkerIdSet::add(std::string_view id) {
  const std::size_t hash = usageNameHash(id);
  const std::uint64_t tag = tagOf(hash);
  if (!slots_.empty()) {
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask; slots_[i] != 0; i = (i + 1) & mask) {
      if ((slots_[i] & kTagMask) == tag &&
          usageNamesEqual(at(static_cast<std::uint32_t>(slots_[i] >> 32)), id))
        return true;
    }
  }
  if (size_ >= limit_) return false;
  // Kept under 3/4 full, so probes stay short and always end at an empty slot.
  if ((size_ + 1) * 4 > slots_.size() * 3) grow();
  const std::size_t slot = emptySlotFor(hash);
  slots_[slot] = static_cast<std::uint64_t>(store(id)) << 32 | tag;
  ++size_;
  return true;
}

std::vector<std::string> WorkerIdSet::ids() const {
  std::vector<std::string> ids;
  ids.reserve(size_);
  for (std::size_t b = 0; b < blocks_.size(); ++b) {
    const char* block = blocks_[b].get();
    const std::size_t end = b + 1 == blocks_.size() ? lastBlockUsed_ : kBlockSize;
    for (std::size_t pos = 0; pos < end && block[pos] != 0;) {
      const auto length = static_cast<unsigned char>(block[pos]);
      ids.emplace_back(block + pos + 1, length);
      pos += 1 + length;
    }
  }
  return ids;
}

void WorkerIdSet::clear() noexcept {
  std::vector<std::uint64_t>().swap(slots_);
  std::vector<std::unique_ptr<char[]>>().swap(blocks_);
  lastBlockUsed_ = kBlockSize;
  size_ = 0;
}

std::string_view WorkerIdSet::at(std::uint32_t offset) const noexcept {
  const char* record = blocks_[offset / kBlockSize].get() + offset % kBlockSize;
  return {record + 1, static_cast<unsigned char>(record[0])};
}

std::uint32_t WorkerIdSet::store(std::string_view id) {
  const std::size_t recordSize = 1 + id.size();
  if (lastBlockUsed_ + recordSize > kBlockSize) {
    // A zero length ends a block that is not full, for ids() to stop at.
    if (lastBlockUsed_ < kBlockSize) blocks_.back()[lastBlockUsed_] = 0;
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(kBlockSize));
    lastBlockUsed_ = 0;
  }
  const std::size_t offset = (blocks_.size() - 1) * kBlockSize + lastBlockUsed_;
  char* record = blocks_.back().get() + lastBlockUsed_;
  record[0] = static_cast<char>(id.size());
  std::memcpy(record + 1, id.data(), id.size());
  lastBlockUsed_ += recordSize;
  return static_cast<std::uint32_t>(offset);
}

void WorkerIdSet::grow() {
  std::vector<std::uint64_t> old(std::max(kFirstTableSize, slots_.size() * 2), 0);
  old.swap(slots_);
  for (std::uint64_t slot : old) {
    if (slot != 0)
      slots_[emptySlotFor(usageNameHash(at(static_cast<std::uint32_t>(slot >> 32))))] = slot;
  }
}

std::size_t WorkerIdSet::emptySlotFor(std::size_t hash) const noexcept {
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i] != 0) i = (i + 1) & mask;
  return i;
}

}  // namespace telemetry
