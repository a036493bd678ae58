// What the spool's writer and its drain know about the segments on disk.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>

namespace telemetry::collector {

/// The segments in order, oldest first; the newest may be the writer's active one. The
/// writer adds and grows segments (lengths are durable: synced), the drain removes the
/// oldest once its reports are in the store. Thread-safe.
class SegmentLedger {
 public:
  struct Segment {
    std::uint64_t number = 0;
    std::uint64_t length = 0;  // bytes on disk that are synced, header included
    bool sealed = false;       // no frame will be added
  };

  /// A segment newer than every other; the one before it, if any, is sealed.
  void add(Segment segment);
  /// The newest segment's synced length grew.
  void grow(std::uint64_t length);
  /// The newest segment takes no more frames.
  void sealNewest();
  /// The oldest segment, after waiting up to `timeout` for it to be longer than `position`
  /// or sealed (no wait once wake() was called); nothing when there is no segment.
  std::optional<Segment> waitOldest(std::uint64_t position, std::chrono::milliseconds timeout);
  std::optional<Segment> oldest() const;
  /// The oldest segment was deleted.
  void removeOldest();
  /// Ends every wait (shutdown); waits return at once from then on.
  void wake();

  std::uint64_t bytes() const;
  /// Frame bytes not yet read by a reader standing at `position` of segment `number`: the
  /// rest of that segment and every newer one, headers left out.
  std::uint64_t bytesAfter(std::uint64_t number, std::uint64_t position) const;
  std::size_t count() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Segment> segments_;
  std::uint64_t bytes_ = 0;
  bool woken_ = false;
};

}  // namespace telemetry::collector
