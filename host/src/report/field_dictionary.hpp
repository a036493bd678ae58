// The data dictionary: what each field a report can carry means, who fills it and why it is
// collected. The host's fields come from config/report.schema.json (the generated table),
// a plugin's from its descriptor. `telemetry explain`, the admin page and docs/data.md
// read it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>

#include "plugins/plugin_info.hpp"

namespace telemetry {

/// What one field means. `description` and `purpose` are empty when nobody documented it.
struct FieldExplanation {
  std::string pointer;  ///< concrete ("/product/internals/commands/StartCmd") or a pattern ("*")
  std::string description;
  std::string purpose;
  std::string filledBy;  ///< "host: ...", "plugin jdk", or "" when nothing claims the field
  bool documented() const { return !description.empty(); }
};

class FieldDictionary {
 public:
  /// The host's fields and those the usable `plugins` document; where several plugins fill
  /// one section, the enabled ones are asked first.
  explicit FieldDictionary(const std::vector<PluginInfo>& plugins);

  /// What the field at `pointer` (a JSON pointer into a report) means.
  FieldExplanation explain(std::string_view pointer) const;

  /// Every field of `report`, depth first in its order, each explained.
  std::vector<FieldExplanation> explainAll(const Poco::JSON::Object::Ptr& report) const;

  /// `report` as pretty JSON, each field's line ending with a comment saying what it is,
  /// why it is collected and who fills it (the purpose and filler only where they differ
  /// from the enclosing field's). Text from plugins is made printable.
  std::string annotate(const Poco::JSON::Object::Ptr& report) const;

  /// The report and its explanations as one JSON object: {"report": ..., "fields": [...]}.
  Poco::JSON::Object::Ptr toJson(const Poco::JSON::Object::Ptr& report) const;

 private:
  struct Entry {
    std::string pattern;  ///< from the report's root, "*" for any token
    FieldExplanation explanation;
  };
  struct Owner {
    std::string section;
    std::string plugin;
  };

  std::vector<Entry> entries_;
  std::vector<Owner> owners_;
};

/// Whether `pointer` matches `pattern`, token by token, "*" matching any one token.
bool pointerMatches(std::string_view pattern, std::string_view pointer);

}  // namespace telemetry
