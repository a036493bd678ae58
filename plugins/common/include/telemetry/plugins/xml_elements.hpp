// The elements of a small XML file (an application server's product or registry file),
// flattened in document order: enough to find an element by name and read its attributes
// or text.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace telemetry::plugins {

/// Thrown for a file that is not well-formed XML; the message says where.
class XmlError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct XmlElement {
  std::string name;  ///< local name, without namespace prefix
  std::map<std::string, std::string, std::less<>> attributes;  ///< by local name
  std::string text;                                            ///< its own character data, trimmed

  std::optional<std::string> attribute(std::string_view attributeName) const;
};

/// Every element of `text` in document order. No DTD or external entity is loaded (product
/// files name a DTD that is not installed beside them). Throws XmlError.
std::vector<XmlElement> parseXmlElements(std::string_view text);

}  // namespace telemetry::plugins
