// Compile-time constants of a compiled Java class, read from its constant pool without a JVM.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace telemetry::plugins {

/// Thrown when the bytes are not a well-formed class file.
class ClassFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The value of `static final String <field> = "..."` in the class file `bytes`, or
/// nullopt when the class has no such String constant field.
std::optional<std::string> stringConstantField(std::string_view bytes, std::string_view field);

}  // namespace telemetry::plugins
