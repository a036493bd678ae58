// What one field of a plugin's section means and why it is collected: the plugin's part of
// the data dictionary (`telemetry explain`, the admin page, docs/data.md). ABI 1.2.
#pragma once

#include <cstddef>

namespace telemetry::plugin {

/// One documented field. `pointer` is relative to the plugin's section: "" is the section
/// itself, "/version" a member; a segment "*" stands for any member name or array index
/// ("/*" for each item of an array section). All three are UTF-8 without NUL; the host
/// refuses a plugin whose documentation is over its limits, malformed or duplicated.
struct FieldDoc {
  const char* pointer;
  const char* description;  ///< what the value is, e.g. "The JDK's version string"
  const char* purpose;      ///< why it is collected, e.g. "which JDKs to test releases on"
};

/// The documentation of a whole section, as the descriptor holds it.
struct FieldDocs {
  const FieldDoc* fields;  ///< null when the plugin documents nothing
  std::size_t count;
};

namespace detail {

/// A probe class documents its fields with a static member:
///   static constexpr telemetry::plugin::FieldDoc kFields[] = {{"", "...", "..."}, ...};
/// A class without one documents nothing (its fields show as "undocumented").
template <class P>
constexpr FieldDocs fieldDocsOf() {
  if constexpr (requires { P::kFields; }) {
    return {P::kFields, sizeof(P::kFields) / sizeof(P::kFields[0])};
  } else {
    return {nullptr, 0};
  }
}

}  // namespace detail
}  // namespace telemetry::plugin
