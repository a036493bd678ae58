// A plugin's documentation of its section's fields (plugin/field_doc.hpp, ABI 1.2) as the
// host keeps it, and the checks every copy of it passes: the descriptor itself, a
// telemetry-probe child's answer and the descriptor cache are all input from outside.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "telemetry/plugin/abi.hpp"
#include "telemetry/plugin/descriptor.hpp"

namespace telemetry {

struct DocumentedField {
  std::string pointer;  ///< relative to the section: "" or "/name", "*" for any name or index
  std::string description;
  std::string purpose;
  bool operator==(const DocumentedField&) const = default;
};

/// Far above what a real section needs; bounds what a hostile plugin makes the host hold,
/// cache and print.
inline constexpr std::size_t kMaxDocumentedFields = 64;
inline constexpr std::size_t kMaxFieldPointerBytes = 128;
inline constexpr std::size_t kMaxFieldTextBytes = 512;

/// What `descriptor` documents; nothing for a plugin built before ABI 1.2, whose descriptor
/// ends before the member. Throws std::runtime_error when it breaks checkFieldDocs' rules
/// (the strings are read at most one byte past their limit).
std::vector<DocumentedField> declaredFieldDocs(const plugin::Descriptor& descriptor,
                                               plugin::AbiVersion abi);

/// Throws std::runtime_error saying what is wrong: too many fields, a text too long, not
/// UTF-8 or holding NUL, an empty description or purpose, a pointer that is neither "" nor
/// "/a/b" (no empty segment, no '~'), or a pointer documented twice.
void checkFieldDocs(const std::vector<DocumentedField>& fields);

}  // namespace telemetry
