#include "telemetry/plugins/xml_elements.hpp"

#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>

namespace telemetry::plugins {
namespace {

std::string trimmed(const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string localName(const Poco::XML::XMLString& local, const Poco::XML::XMLString& qname) {
  if (!local.empty()) return local;
  std::size_t colon = qname.find(':');
  return colon == std::string::npos ? qname : qname.substr(colon + 1);
}

// Collects elements; `open` holds the indices of the elements not yet closed.
class ElementCollector final : public Poco::XML::DefaultHandler {
 public:
  std::vector<XmlElement> elements;

  void startElement(const Poco::XML::XMLString&, const Poco::XML::XMLString& local,
                    const Poco::XML::XMLString& qname,
                    const Poco::XML::Attributes& attributes) override {
    XmlElement element;
    element.name = localName(local, qname);
    for (int i = 0; i < attributes.getLength(); ++i) {
      element.attributes[localName(attributes.getLocalName(i), attributes.getQName(i))] =
          attributes.getValue(i);
    }
    open_.push_back(elements.size());
    elements.push_back(std::move(element));
  }
  void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&,
                  const Poco::XML::XMLString&) override {
    XmlElement& element = elements[open_.back()];
    element.text = trimmed(element.text);
    open_.pop_back();
  }
  void characters(const Poco::XML::XMLChar text[], int start, int length) override {
    if (!open_.empty()) elements[open_.back()].text.append(text + start, length);
  }

 private:
  std::vector<std::size_t> open_;
};

}  // namespace

std::optional<std::string> XmlElement::attribute(std::string_view attributeName) const {
  auto it = attributes.find(attributeName);
  if (it == attributes.end()) return std::nullopt;
  return it->second;
}

std::vector<XmlElement> parseXmlElements(std::string_view text) {
  ElementCollector collector;
  Poco::XML::SAXParser parser;
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
  parser.setContentHandler(&collector);
  try {
    parser.parseMemoryNP(text.data(), text.size());
  } catch (const Poco::Exception& e) {
    throw XmlError("not well-formed XML: " + e.displayText());
  }
  return std::move(collector.elements);
}

}  // namespace telemetry::plugins
