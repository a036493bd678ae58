// Lets file-scanning probes stop between steps once the host has stopped waiting.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "telemetry/plugin/context.hpp"

namespace telemetry::plugins {

/// Thrown by checkDeadline; the message says which step was cut short.
class DeadlineExceeded : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Throws DeadlineExceeded when the context's deadline has passed.
inline void checkDeadline(const plugin::Context& context, std::string_view step) {
  if (plugin::Context::Clock::now() >= context.deadline()) {
    throw DeadlineExceeded("deadline passed while " + std::string(step));
  }
}

}  // namespace telemetry::plugins
