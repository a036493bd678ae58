#include "plugins/descriptor_rules.hpp"

#include <charconv>

#include "report/report_sections.hpp"

namespace telemetry {
namespace {

constexpr std::string_view kSectionRoot = report_schema::kInternalsPointer;

bool parseNumber(std::string_view text, std::uint32_t& value) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string sectionClaimProblem(std::string_view section) {
  if (section.substr(0, kSectionRoot.size()) != kSectionRoot ||
      section.size() == kSectionRoot.size()) {
    return "section '" + std::string(section) + "' is not under " + std::string(kSectionRoot);
  }
  std::string_view first = section.substr(kSectionRoot.size());
  first = first.substr(0, first.find('/'));
  // The host fills these itself (report/report_sections.hpp); a plugin may not claim them.
  if (isHostSection(first)) {
    return "section '" + std::string(section) + "' is filled by the host";
  }
  return {};
}

std::string abiText(plugin::AbiVersion abi) {
  return std::to_string(abi.major) + "." + std::to_string(abi.minor);
}

std::optional<plugin::AbiVersion> parseAbiText(std::string_view text) {
  auto dot = text.find('.');
  plugin::AbiVersion abi{};
  if (dot == std::string_view::npos || !parseNumber(text.substr(0, dot), abi.major) ||
      !parseNumber(text.substr(dot + 1), abi.minor)) {
    return std::nullopt;
  }
  return abi;
}

}  // namespace telemetry
