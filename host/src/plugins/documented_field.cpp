#include "plugins/documented_field.hpp"

#include <cstring>
#include <set>
#include <stdexcept>

#include "report/utf8_text.hpp"

namespace telemetry {
namespace {

std::string boundedText(const char* text, std::size_t limit, const char* what) {
  if (text == nullptr) return {};
  const std::size_t length = ::strnlen(text, limit + 1);
  if (length > limit) {
    throw std::runtime_error(std::string("a field's ") + what + " is longer than " +
                             std::to_string(limit) + " bytes");
  }
  return std::string(text, length);
}

std::string pointerProblem(const std::string& pointer) {
  if (pointer.empty()) return {};
  if (pointer.front() != '/') return "does not start with '/'";
  if (pointer.find('~') != std::string::npos) return "holds '~'";
  if (pointer.back() == '/' || pointer.find("//") != std::string::npos) {
    return "has an empty segment";
  }
  return {};
}

}  // namespace

std::vector<DocumentedField> declaredFieldDocs(const plugin::Descriptor& descriptor,
                                               plugin::AbiVersion abi) {
  if (abi.major != 1 || abi.minor < 2) return {};
  const plugin::FieldDocs& docs = descriptor.fieldDocs;
  if (docs.count > kMaxDocumentedFields) {
    throw std::runtime_error("it documents " + std::to_string(docs.count) + " fields, more than " +
                             std::to_string(kMaxDocumentedFields));
  }
  if (docs.count != 0 && docs.fields == nullptr) {
    throw std::runtime_error("its field documentation has a count but no fields");
  }
  std::vector<DocumentedField> fields;
  for (std::size_t i = 0; i < docs.count; ++i) {
    const plugin::FieldDoc& doc = docs.fields[i];
    if (doc.pointer == nullptr) throw std::runtime_error("a documented field has no pointer");
    fields.push_back({boundedText(doc.pointer, kMaxFieldPointerBytes, "pointer"),
                      boundedText(doc.description, kMaxFieldTextBytes, "description"),
                      boundedText(doc.purpose, kMaxFieldTextBytes, "purpose")});
  }
  checkFieldDocs(fields);
  return fields;
}

void checkFieldDocs(const std::vector<DocumentedField>& fields) {
  if (fields.size() > kMaxDocumentedFields) {
    throw std::runtime_error("more than " + std::to_string(kMaxDocumentedFields) +
                             " documented fields");
  }
  std::set<std::string> seen;
  for (const DocumentedField& field : fields) {
    const std::pair<const std::string*, std::size_t> texts[] = {
        {&field.pointer, kMaxFieldPointerBytes},
        {&field.description, kMaxFieldTextBytes},
        {&field.purpose, kMaxFieldTextBytes}};
    for (const auto& [text, limit] : texts) {
      if (text->size() > limit) {
        throw std::runtime_error("a documented field's text is longer than " +
                                 std::to_string(limit) + " bytes");
      }
      if (auto problem = textProblem(*text)) {
        throw std::runtime_error("a documented field's text " + *problem);
      }
    }
    const std::string shown = "field '" + field.pointer + "'";
    if (std::string problem = pointerProblem(field.pointer); !problem.empty()) {
      throw std::runtime_error(shown + ": its pointer " + problem);
    }
    if (field.description.empty()) throw std::runtime_error(shown + " has no description");
    if (field.purpose.empty()) throw std::runtime_error(shown + " says not why it is collected");
    if (!seen.insert(field.pointer).second)
      throw std::runtime_error(shown + " is documented twice");
  }
}

}  // namespace telemetry
