// The Idempotency-Key header as the collector accepts it, on /pings and /deletions alike.
#pragma once

#include <cstddef>
#include <string_view>

namespace telemetry::collector {

inline constexpr std::size_t kMaxIdempotencyKey = 200;

/// True for an absent (empty) key or one of at most kMaxIdempotencyKey printable ASCII
/// characters without spaces.
bool isAcceptableIdempotencyKey(std::string_view key);

}  // namespace telemetry::collector
