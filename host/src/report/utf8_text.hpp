// The one check every way into the host uses for text from outside (CLI, REST, StatsD,
// YAML, probe sections): a report must be valid UTF-8 JSON, or the collector refuses it
// for good.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace telemetry {

/// Length of the well-formed UTF-8 sequence starting at `text[i]` (RFC 3629: no overlong
/// forms, no surrogates, nothing above U+10FFFF), or 0 when none starts there.
std::size_t utf8SequenceLength(std::string_view text, std::size_t i) noexcept;

/// True when all of `text` is well-formed UTF-8.
bool isValidUtf8(std::string_view text) noexcept;

/// True when `text` is well-formed UTF-8 without NUL: what every way in accepts.
bool isAcceptedText(std::string_view text) noexcept;

/// The offset of the first NUL or byte that is not UTF-8 in `text`, if any.
std::optional<std::size_t> firstTextFault(std::string_view text) noexcept;

/// Why `text` cannot be taken as it is: not UTF-8 ("is not valid UTF-8 (byte 0xFF at
/// offset 3)") or holding NUL, which C strings and SQLite cut at. nullopt when it is fine.
std::optional<std::string> textProblem(std::string_view text);

/// Where JSON text holds an escaped NUL (the six characters \u0000 after an even run of
/// backslashes), if anywhere. Poco's parser cuts keys there, so JSON ways in look first.
std::optional<std::size_t> firstEscapedNul(std::string_view json) noexcept;

/// `text` with each byte that starts no well-formed sequence replaced by U+FFFD.
std::string toValidUtf8(std::string_view text);

}  // namespace telemetry
