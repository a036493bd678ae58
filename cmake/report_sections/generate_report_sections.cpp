// Build step: writes the C++ table of the report's sections (name, pointer, type, order)
// from config/report.schema.json, so the host and the collector take them from the schema
// instead of repeating them; and every field a report can carry, with the host's
// documentation (the data dictionary). Usage: generate-report-sections SCHEMA OUTPUT_HEADER
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using rapidjson::Value;

// The schema's types that a section may be constrained to, as the table spells them.
constexpr std::string_view kTypes[] = {"object", "array", "string", "boolean", "integer", "number"};

class SchemaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const Value& member(const Value& object, const char* name, const std::string& where) {
  if (!object.IsObject() || !object.HasMember(name)) {
    throw SchemaError(where + " has no member '" + name + "'");
  }
  return object[name];
}

// What one local $ref ("#/definitions/x/y") names.
const Value& referenced(const Value& root, const Value& ref, std::string& where) {
  if (!ref.IsString() || ref.GetString()[0] != '#') {
    throw SchemaError(where + ": only a chain of local $refs is supported");
  }
  where = ref.GetString();
  std::string_view rest = std::string_view(ref.GetString()).substr(1);
  const Value* current = &root;
  while (!rest.empty()) {
    rest.remove_prefix(1);
    const std::string token(rest.substr(0, rest.find('/')));
    rest.remove_prefix(std::min(rest.size(), token.size()));
    current = &member(*current, token.c_str(), where);
  }
  return *current;
}

// Follows local $refs until a schema without one.
const Value& resolved(const Value& root, const Value& schema, std::string& where) {
  const Value* current = &schema;
  for (int hops = 0; current->IsObject() && current->HasMember("$ref"); ++hops) {
    if (hops == 32) throw SchemaError(where + ": only a chain of local $refs is supported");
    current = &referenced(root, (*current)["$ref"], where);
  }
  return *current;
}

// The C++ literal of a text: printable ASCII as it is, anything else in octal escapes.
std::string literal(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte > 0x7e || c == '?') {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\%03o", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + '"';
}

std::string sectionType(const Value& schema) {
  if (!schema.IsObject() || !schema.HasMember("type") || !schema["type"].IsString()) return "any";
  const std::string_view type = schema["type"].GetString();
  for (const auto known : kTypes) {
    if (known == type) return std::string(type);
  }
  return "any";
}

std::vector<std::string> requiredNames(const Value& schema) {
  std::vector<std::string> names;
  if (!schema.HasMember("required") || !schema["required"].IsArray()) return names;
  for (const auto& name : schema["required"].GetArray()) {
    if (name.IsString()) names.emplace_back(name.GetString());
  }
  return names;
}

// The schema of product.internals in one of the two report shapes.
const Value& internalsOf(const Value& root, const char* report) {
  std::string where = std::string("#/definitions/") + report;
  const Value& shape = member(member(root, "definitions", "#"), report, "#/definitions");
  const Value& product =
      member(member(shape, "properties", where), "product", where + "/properties");
  where += "/properties/product";
  const Value& internals =
      member(member(product, "properties", where), "internals", where + "/properties");
  where += "/properties/internals";
  if (!member(internals, "properties", where).IsObject()) {
    throw SchemaError(where + "/properties is not an object");
  }
  return internals;
}

// One field of the data dictionary: the host's are documented in the schema (description,
// x-purpose, x-filled-by), a plugin section's only listed, for its plugins to document.
struct Field {
  std::string pointer;  // "*" for any member name or array index
  std::string description;
  std::string purpose;
  std::string filledBy;
  std::string section;  // the plugin section it lies in; empty for the host's
};

// The nearest `name` along the chain of $refs from `schema`: a reference's own annotation
// overrides its target's.
std::string annotation(const Value& root, const Value& schema, const char* name,
                       std::string where) {
  const Value* node = &schema;
  for (int hops = 0; hops < 32 && node->IsObject(); ++hops) {
    if (node->HasMember(name) && (*node)[name].IsString()) return (*node)[name].GetString();
    if (!node->HasMember("$ref")) break;
    node = &referenced(root, (*node)["$ref"], where);
  }
  return {};
}

// Walks every field a report can carry, depth first in the schema's order. A host field the
// schema leaves without description is a build error: the dictionary must not have holes.
class FieldWalker {
 public:
  FieldWalker(const Value& root, std::vector<std::string> hostSections)
      : root_(root), hostSections_(std::move(hostSections)) {}

  void walk(const Value& schema, const std::string& pointer, std::string where, Field inherited,
            int depth) {
    if (schema.IsBool()) return;
    if (depth > 32) throw SchemaError(where + ": nested too deeply");
    std::string targetWhere = where;
    const Value& target = resolved(root_, schema, targetWhere);
    Field field = inherited;
    field.pointer = pointer;
    field.description = annotation(root_, schema, "description", where);
    if (auto purpose = annotation(root_, schema, "x-purpose", where); !purpose.empty()) {
      field.purpose = purpose;
    }
    if (auto filledBy = annotation(root_, schema, "x-filled-by", where); !filledBy.empty()) {
      field.filledBy = filledBy;
    }
    if (!pointer.empty()) add(field, where);
    if (!target.IsObject()) return;
    if (target.HasMember("properties") && target["properties"].IsObject()) {
      for (const auto& property : target["properties"].GetObject()) {
        const std::string name = property.name.GetString();
        Field child = field;
        if (pointer == "/product/internals" && !isHost(name)) {
          child = Field{};
          child.section = name;
        }
        walk(property.value, pointer + "/" + name, where + "/properties/" + name, child, depth + 1);
      }
    }
    for (const char* each : {"additionalProperties", "items"}) {
      if (target.HasMember(each) && target[each].IsObject()) {
        walk(target[each], pointer + "/*", where + "/" + each, field, depth + 1);
      }
    }
  }

  const std::vector<Field>& fields() const { return fields_; }

 private:
  bool isHost(const std::string& section) const {
    return std::find(hostSections_.begin(), hostSections_.end(), section) != hostSections_.end();
  }

  void add(const Field& field, const std::string& where) {
    for (const auto& known : fields_) {
      if (known.pointer == field.pointer) return;  // the initial report repeats the full one's
    }
    if (field.section.empty()) {
      for (const auto& [text, keyword] :
           {std::pair{&field.description, "description"}, std::pair{&field.purpose, "x-purpose"},
            std::pair{&field.filledBy, "x-filled-by"}}) {
        if (text->empty()) {
          throw SchemaError(where + ": the host's field " + field.pointer + " has no " + keyword +
                            " (here or, for x-purpose and x-filled-by, on a field it lies in)");
        }
      }
    }
    fields_.push_back(field);
  }

  const Value& root_;
  std::vector<std::string> hostSections_;
  std::vector<Field> fields_;
};

std::string generate(const Value& root) {
  const Value& full = internalsOf(root, "fullReport");
  const Value& initial = internalsOf(root, "initialReport");

  std::vector<std::string> hostSections = requiredNames(initial);
  for (const auto& name : requiredNames(full)) {
    if (std::find(hostSections.begin(), hostSections.end(), name) == hostSections.end()) {
      hostSections.push_back(name);
    }
  }
  auto filledByHost = [&](const std::string& name) {
    return std::find(hostSections.begin(), hostSections.end(), name) != hostSections.end();
  };

  std::ostringstream sections;
  std::size_t sectionCount = 0;
  std::vector<std::string> metrics;
  for (const auto& property : full["properties"].GetObject()) {
    const std::string name = property.name.GetString();
    // `false`: the full report must not hold it (telemetry-enabled is the initial report's).
    if (property.value.IsBool() && !property.value.GetBool()) continue;
    std::string where =
        "#/definitions/fullReport/properties/product/properties/internals/properties/" + name;
    // Such a name would need escaping in its pointer, everywhere it is used; no spec has one.
    if (name.empty() || name.find_first_of("/~") != std::string::npos) {
      throw SchemaError(where + ": a section name must be non-empty, without '/' or '~'");
    }
    const Value& schema = resolved(root, property.value, where);
    sections << "    {" << literal(name) << ", " << literal("/product/internals/" + name)
             << ", SectionType::" << sectionType(schema) << ", "
             << (filledByHost(name) ? "true" : "false") << "},\n";
    ++sectionCount;
    if (name == "metrics") {
      for (const auto& metric : member(schema, "properties", where).GetObject()) {
        metrics.emplace_back(metric.name.GetString());
      }
    }
  }
  if (sectionCount == 0) throw SchemaError("the full report's internals name no section");

  FieldWalker walker(root, hostSections);
  for (const char* report : {"fullReport", "initialReport"}) {
    const std::string where = std::string("#/definitions/") + report;
    walker.walk(member(member(root, "definitions", "#"), report, "#/definitions"), "", where, {},
                0);
  }
  std::ostringstream fields;
  for (const Field& f : walker.fields()) {
    fields << "    {" << literal(f.pointer) << ", " << literal(f.description) << ",\n     "
           << literal(f.purpose) << ",\n     " << literal(f.filledBy) << ", " << literal(f.section)
           << "},\n";
  }

  std::ostringstream out;
  out << "// Generated from config/report.schema.json by "
         "cmake/report_sections/generate_report_sections.cpp\n"
         "// at build time: edit the schema, not this file.\n"
         "#pragma once\n\n"
         "#include <array>\n#include <string_view>\n\n"
         "namespace telemetry::report_schema {\n\n"
         "/// The JSON type the schema requires of a section's value; `any` when it names none.\n"
         "enum class SectionType { any, object, array, string, boolean, integer, number };\n\n"
         "/// A section under product.internals of the full report.\n"
         "struct Section {\n"
         "  std::string_view name;\n"
         "  std::string_view pointer;  // from the report's root\n"
         "  SectionType type;\n"
         "  bool filledByHost;  // required by the schema, so never left to a plugin\n"
         "};\n\n"
         "inline constexpr std::string_view kInternalsPointer = \"/product/internals/\";\n\n"
         "/// The full report's sections in the schema's order, which is the report's.\n"
         "inline constexpr std::array<Section, "
      << sectionCount << "> kSections = {{\n"
      << sections.str() << "}};\n\n"
      << "/// What the host fills itself: required in the full or the initial report.\n"
         "inline constexpr std::array<std::string_view, "
      << hostSections.size() << "> kHostSections = {";
  for (std::size_t i = 0; i < hostSections.size(); ++i) {
    out << (i ? ", " : "") << literal(hostSections[i]);
  }
  out << "};\n\n"
         "/// The members of the metrics section, in the schema's order.\n"
         "inline constexpr std::array<std::string_view, "
      << metrics.size() << "> kMetricNames = {";
  for (std::size_t i = 0; i < metrics.size(); ++i) out << (i ? ", " : "") << literal(metrics[i]);
  out << "};\n\n"
         "/// A field a report can carry, for the data dictionary: `pointer` from the report's\n"
         "/// root, a segment \"*\" standing for any member name or array index. The host's are\n"
         "/// documented here; a plugin section's (`section` set) by the plugins that fill it.\n"
         "struct Field {\n"
         "  std::string_view pointer;\n"
         "  std::string_view description;\n"
         "  std::string_view purpose;\n"
         "  std::string_view filledBy;\n"
         "  std::string_view section;  // the plugin section it lies in; empty for the host's\n"
         "};\n\n"
         "/// Every field the schema names, depth first in its order (the full report's, then\n"
         "/// what only the initial report has).\n"
         "inline constexpr std::array<Field, "
      << walker.fields().size() << "> kFields = {{\n"
      << fields.str() << "}};\n\n}  // namespace telemetry::report_schema\n";
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: generate-report-sections SCHEMA OUTPUT_HEADER\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) {
    std::cerr << argv[1] << ": cannot read\n";
    return 1;
  }
  rapidjson::Document schema;
  if (schema.Parse(text.str().c_str()).HasParseError()) {
    std::cerr << argv[1]
              << ": not valid JSON: " << rapidjson::GetParseError_En(schema.GetParseError())
              << " at byte " << schema.GetErrorOffset() << "\n";
    return 1;
  }
  std::string header;
  try {
    header = generate(schema);
  } catch (const SchemaError& e) {
    std::cerr << argv[1] << ": " << e.what() << "\n";
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out << header;
  if (!out.flush()) {
    std::cerr << argv[2] << ": cannot write\n";
    return 1;
  }
  return 0;
}
