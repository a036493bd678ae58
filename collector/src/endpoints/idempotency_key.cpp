#include "endpoints/idempotency_key.hpp"

namespace telemetry::collector {

bool isAcceptableIdempotencyKey(std::string_view key) {
  if (key.size() > kMaxIdempotencyKey) return false;
  for (unsigned char c : key) {
    if (c < 0x21 || c > 0x7E) return false;
  }
  return true;
}

}  // namespace telemetry::collector
