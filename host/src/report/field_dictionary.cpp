#include "report/field_dictionary.hpp"

#include <algorithm>

#include <Poco/JSON/Array.h>

#include "config/logging.hpp"
#include "report/pretty_json.hpp"
#include "report/report_sections.hpp"

namespace telemetry {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

/// The parent of a pointer: "/a/b" -> "/a"; "" for a top-level one.
std::string parentOf(const std::string& pointer) {
  return pointer.substr(0, std::min(pointer.size(), pointer.rfind('/')));
}

void collect(const Var& value, const std::string& pointer, const FieldDictionary& dictionary,
             std::vector<FieldExplanation>& out) {
  if (!pointer.empty()) out.push_back(dictionary.explain(pointer));
  if (value.type() == typeid(Object::Ptr)) {
    const Object& object = *value.extract<Object::Ptr>();
    for (const std::string& name : object.getNames()) {
      collect(object.get(name), pointer + "/" + pointerToken(name), dictionary, out);
    }
  } else if (value.type() == typeid(Array::Ptr)) {
    const Array& array = *value.extract<Array::Ptr>();
    for (std::size_t i = 0; i < array.size(); ++i) {
      collect(array.get(static_cast<unsigned>(i)), pointer + "/" + std::to_string(i), dictionary,
              out);
    }
  }
}

Var textOrNull(const std::string& text) { return text.empty() ? Var() : Var(text); }

}  // namespace

bool pointerMatches(std::string_view pattern, std::string_view pointer) {
  while (!pattern.empty() && !pointer.empty()) {
    // Both start with '/': compare one token each.
    pattern.remove_prefix(1);
    pointer.remove_prefix(1);
    const std::string_view wanted = pattern.substr(0, pattern.find('/'));
    const std::string_view token = pointer.substr(0, pointer.find('/'));
    if (wanted != "*" && wanted != token) return false;
    pattern.remove_prefix(wanted.size());
    pointer.remove_prefix(token.size());
  }
  return pattern.empty() && pointer.empty();
}

FieldDictionary::FieldDictionary(const std::vector<PluginInfo>& plugins) {
  for (const report_schema::Field& field : report_schema::kFields) {
    if (!field.section.empty()) continue;
    entries_.push_back({std::string(field.pointer),
                        {std::string(field.pointer), std::string(field.description),
                         std::string(field.purpose), std::string(field.filledBy)}});
  }
  std::vector<const PluginInfo*> usable;
  for (const PluginInfo& plugin : plugins) {
    if (plugin.usable()) usable.push_back(&plugin);
  }
  std::stable_partition(usable.begin(), usable.end(),
                        [](const PluginInfo* p) { return p->enabled; });
  for (const PluginInfo* plugin : usable) {
    owners_.push_back({plugin->section, plugin->name});
    for (const DocumentedField& field : plugin->fields) {
      const std::string pattern = plugin->section + field.pointer;
      entries_.push_back(
          {pattern, {pattern, field.description, field.purpose, "plugin " + plugin->name}});
    }
  }
}

FieldExplanation FieldDictionary::explain(std::string_view pointer) const {
  for (const Entry& entry : entries_) {
    if (pointerMatches(entry.pattern, pointer)) {
      FieldExplanation explanation = entry.explanation;
      explanation.pointer = pointer;
      return explanation;
    }
  }
  FieldExplanation undocumented;
  undocumented.pointer = pointer;
  for (const Owner& owner : owners_) {
    if (pointer == owner.section || pointer.starts_with(owner.section + "/")) {
      undocumented.filledBy = "plugin " + owner.plugin;
      break;
    }
  }
  return undocumented;
}

std::vector<FieldExplanation> FieldDictionary::explainAll(const Object::Ptr& report) const {
  std::vector<FieldExplanation> fields;
  collect(Var(report), "", *this, fields);
  return fields;
}

std::string FieldDictionary::annotate(const Object::Ptr& report) const {
  return prettyJson(Var(report), [this](const std::string& pointer) {
    const FieldExplanation field = explain(pointer);
    const std::string parent = parentOf(pointer);
    const FieldExplanation enclosing = parent.empty() ? FieldExplanation{} : explain(parent);
    std::string comment = field.documented() ? field.description : "undocumented";
    if (!field.purpose.empty() && field.purpose != enclosing.purpose) {
      comment += " Why: " + field.purpose;
    }
    if (!field.filledBy.empty() && field.filledBy != enclosing.filledBy) {
      comment += " [" + field.filledBy + "]";
    }
    // A plugin's text must not move the cursor or end the comment's line.
    return printable(comment, 2000);
  });
}

Object::Ptr FieldDictionary::toJson(const Object::Ptr& report) const {
  Object::Ptr json = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  json->set("report", report);
  Array::Ptr fields = new Array;
  for (const FieldExplanation& field : explainAll(report)) {
    Object::Ptr entry = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    entry->set("pointer", field.pointer);
    entry->set("description", textOrNull(field.description));
    entry->set("purpose", textOrNull(field.purpose));
    entry->set("filled-by", textOrNull(field.filledBy));
    fields->add(entry);
  }
  json->set("fields", fields);
  return json;
}

}  // namespace telemetry
