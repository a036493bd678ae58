// Reading RapidJSON values: a string's text and an object's member by name, both without
// copying and both correct for text holding NUL bytes (FindMember(const char*) is not).
#pragma once

#include <rapidjson/document.h>

#include <string_view>

namespace telemetry::collector {

/// The text of a string value (or of a member's name).
inline std::string_view textOf(const rapidjson::Value& string) {
  return {string.GetString(), string.GetStringLength()};
}

/// The member named `name`; nullptr when there is none or `value` is not an object.
inline const rapidjson::Value* findMember(const rapidjson::Value& value, std::string_view name) {
  if (!value.IsObject()) return nullptr;
  for (auto member = value.MemberBegin(); member != value.MemberEnd(); ++member) {
    if (textOf(member->name) == name) return &member->value;
  }
  return nullptr;
}

}  // namespace telemetry::collector
