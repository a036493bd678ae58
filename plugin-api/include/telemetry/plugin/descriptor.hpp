// The table a plugin exports: identity, report section and three entry points that never
// throw. Only its layout is ABI; append new members at the end and bump the minor.
#pragma once

#include <exception>
#include <new>
#include <string>

#include "telemetry/plugin/field_doc.hpp"
#include "telemetry/plugin/needs.hpp"
#include "telemetry/plugin/probe.hpp"

namespace telemetry::plugin {

struct Descriptor {
  const char* name;         ///< as used in `plugins.enabled`, e.g. "jdk"
  const char* version;      ///< the plugin's own version
  const char* section;      ///< JSON pointer of the section it fills, e.g. "/product/internals/jdk"
  const char* description;  ///< one line for `telemetry plugins`
  Probe* (*create)(std::string& error) noexcept;
  void (*destroy)(Probe* probe) noexcept;
  Result (*collect)(Probe* probe, const Context& context) noexcept;
  /// Since ABI 1.1: what the probe needs (see needs.hpp); the host reads it only from a
  /// plugin whose minor is at least 1, so a 1.0 plugin needs nothing.
  Needs needs;
  /// Since ABI 1.2: what each field of the section means and why it is collected (see
  /// field_doc.hpp); read only from a plugin whose minor is at least 2.
  FieldDocs fieldDocs;
};

namespace detail {

inline std::string describeCurrentException() {
  try {
    throw;
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  } catch (...) {
    return "unknown exception (not derived from std::exception)";
  }
}

template <class P>
Probe* create(std::string& error) noexcept {
  try {
    return new P();
  } catch (...) {
    try {
      error = "constructor threw " + describeCurrentException();
    } catch (...) {
    }
    return nullptr;
  }
}

template <class P>
void destroy(Probe* probe) noexcept {
  try {
    delete probe;
  } catch (...) {
  }
}

template <class P>
Result collect(Probe* probe, const Context& context) noexcept {
  try {
    return probe->collect(context);
  } catch (...) {
    try {
      return Result::error("collect threw " + describeCurrentException());
    } catch (...) {
      return Result::error({});
    }
  }
}

}  // namespace detail
}  // namespace telemetry::plugin
