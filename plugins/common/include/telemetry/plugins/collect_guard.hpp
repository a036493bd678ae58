// Turns exceptions from a probe's work into Result::error with the plain message, so the
// host logs "unknown setting 'x'" rather than a generic "collect threw ..." text.
#pragma once

#include <exception>
#include <string>

#include "telemetry/plugin/result.hpp"

namespace telemetry::plugins {

template <class Work>
plugin::Result collectGuarded(Work&& work) {
  try {
    return work();
  } catch (const std::exception& e) {
    return plugin::Result::error(e.what());
  }
}

}  // namespace telemetry::plugins
