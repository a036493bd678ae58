#include "spool/segment_ledger.hpp"

#include <algorithm>

#include "spool/segment_reader.hpp"

namespace telemetry::collector {
namespace {

constexpr std::uint64_t kHeaderBytes = SegmentReader::kHeader.size();

}  // namespace

void SegmentLedger::add(Segment segment) {
  {
    std::lock_guard lock(mutex_);
    if (!segments_.empty()) segments_.back().sealed = true;
    bytes_ += segment.length;
    segments_.push_back(segment);
  }
  changed_.notify_all();
}

void SegmentLedger::grow(std::uint64_t length) {
  {
    std::lock_guard lock(mutex_);
    if (segments_.empty()) return;
    bytes_ += length - segments_.back().length;
    segments_.back().length = length;
  }
  changed_.notify_all();
}

void SegmentLedger::sealNewest() {
  {
    std::lock_guard lock(mutex_);
    if (!segments_.empty()) segments_.back().sealed = true;
  }
  changed_.notify_all();
}

std::optional<SegmentLedger::Segment> SegmentLedger::waitOldest(std::uint64_t position,
                                                                std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] {
    return woken_ || (!segments_.empty() &&
                      (segments_.front().length > position || segments_.front().sealed));
  });
  if (segments_.empty()) return std::nullopt;
  return segments_.front();
}

std::optional<SegmentLedger::Segment> SegmentLedger::oldest() const {
  std::lock_guard lock(mutex_);
  if (segments_.empty()) return std::nullopt;
  return segments_.front();
}

void SegmentLedger::removeOldest() {
  std::lock_guard lock(mutex_);
  if (segments_.empty()) return;
  bytes_ -= segments_.front().length;
  segments_.pop_front();
}

void SegmentLedger::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

std::uint64_t SegmentLedger::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::uint64_t SegmentLedger::bytesAfter(std::uint64_t number, std::uint64_t position) const {
  std::lock_guard lock(mutex_);
  std::uint64_t bytes = 0;
  for (const auto& segment : segments_) {
    const std::uint64_t from =
        segment.number == number ? std::max(position, kHeaderBytes) : kHeaderBytes;
    if (segment.number >= number && segment.length > from) bytes += segment.length - from;
  }
  return bytes;
}

std::size_t SegmentLedger::count() const {
  std::lock_guard lock(mutex_);
  return segments_.size();
}

}  // namespace telemetry::collector
