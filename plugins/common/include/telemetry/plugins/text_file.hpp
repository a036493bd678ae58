// Small text files of an installation (product, registry and configuration files).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace telemetry::plugins {

/// The file's bytes; nullopt when it does not exist or is not a regular file. Throws
/// std::runtime_error naming the file when it cannot be read or is larger than `maxSize`,
/// so a hostile file cannot exhaust memory.
std::optional<std::string> readTextFile(const std::filesystem::path& file,
                                        std::size_t maxSize = 4 * 1024 * 1024);

}  // namespace telemetry::plugins
