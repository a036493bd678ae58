#include "report/report_builder.hpp"

#include <algorithm>
#include <sstream>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include "config/logging.hpp"
#include "report/pretty_json.hpp"
#include "report/report_sections.hpp"
#include "report/utf8_text.hpp"

namespace telemetry {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// Key order and types under product.internals come from the schema (report/report_sections.hpp);
// vendor sections follow in plugin order.
constexpr std::string_view kInternals = report_schema::kInternalsPointer;

Object::Ptr newObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

/// The unescaped tokens of a JSON pointer below /product/internals.
std::vector<std::string> tokens(std::string_view pointer) {
  std::vector<std::string> out;
  std::string_view rest = pointer.substr(kInternals.size());
  while (true) {
    auto slash = rest.find('/');
    std::string token(rest.substr(0, slash));
    for (std::size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
      if (i + 1 < token.size()) token.replace(i, 2, token[i + 1] == '1' ? "/" : "~");
    }
    out.push_back(std::move(token));
    if (slash == std::string_view::npos) break;
    rest = rest.substr(slash + 1);
  }
  return out;
}

bool isArray(const Var& v) { return v.type() == typeid(Array::Ptr); }
bool isObject(const Var& v) { return v.type() == typeid(Object::Ptr); }

bool hasType(const Var& v, SectionType type) {
  switch (type) {
    case SectionType::object:
      return isObject(v);
    case SectionType::array:
      return isArray(v);
    case SectionType::string:
      return v.isString();
    case SectionType::boolean:
      return v.type() == typeid(bool);
    case SectionType::integer:
      return v.isInteger();
    case SectionType::number:
      return v.isNumeric();
    case SectionType::any:
      break;
  }
  return true;
}

std::string compact(const Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(v, out);
  return out.str();
}

/// Parses a probe's JSON and checks it has the type its section needs; "" or the problem.
std::string parseSection(const ProbeOutcome& outcome, Var& value) {
  if (outcome.text.size() > kMaxProbeOutputBytes) {
    return "returned " + std::to_string(outcome.text.size()) + " bytes, over the limit of " +
           std::to_string(kMaxProbeOutputBytes) + " for a section";
  }
  // Poco would call a stray byte an "unterminated string"; say what it is.
  if (auto problem = textProblem(outcome.text)) return "returned text that " + *problem;
  // Poco would cut a key at it, or keep a NUL C strings and SQLite cut at.
  if (firstEscapedNul(outcome.text)) return "returned a key or string holding NUL (\\u0000)";
  try {
    // Poco's parser accepts only an object or array at the top; a vendor section may be a
    // bare scalar, so parse it as the one element of an array.
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    Var wrapped = parser.parse("[" + outcome.text + "\n]");
    auto array = wrapped.extract<Array::Ptr>();
    if (array->size() != 1) return "returned more than one JSON value";
    value = array->get(0);
  } catch (const Poco::Exception& e) {
    return "returned invalid JSON: " + e.displayText();
  }
  std::string first = tokens(outcome.section).front();
  const auto* spec = specSection(first);
  if (spec != nullptr && !hasType(value, spec->type))
    return "returned " + compact(value).substr(0, 40) + " where section '" + first + "' needs " +
           std::string(typeWithArticle(spec->type));
  return {};
}

struct Section {
  std::string pointer;
  std::string plugin;
  Var value;
};

/// DESIGN.md's rule for two probes filling one section.
void merge(Section& existing, const Section& incoming) {
  if (isArray(existing.value) && isArray(incoming.value)) {
    auto target = existing.value.extract<Array::Ptr>();
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < target->size(); ++i) seen.push_back(compact(target->get(i)));
    auto source = incoming.value.extract<Array::Ptr>();
    for (std::size_t i = 0; i < source->size(); ++i) {
      std::string text = compact(source->get(i));
      if (std::find(seen.begin(), seen.end(), text) == seen.end()) {
        target->add(source->get(i));
        seen.push_back(text);
      }
    }
    return;
  }
  logger()->warn("plugins '{}' and '{}' both fill {}; keeping the value of '{}'", existing.plugin,
                 incoming.plugin, existing.pointer, existing.plugin);
}

std::size_t rank(const std::string& pointer) { return sectionRank(tokens(pointer).front()); }

void place(const Object::Ptr& internals, const Section& section) {
  std::vector<std::string> path = tokens(section.pointer);
  Object::Ptr node = internals;
  for (std::size_t i = 0; i + 1 < path.size(); ++i) {
    if (!node->has(path[i]) || !node->isObject(path[i])) node->set(path[i], newObject());
    node = node->getObject(path[i]);
  }
  node->set(path.back(), section.value);
}

Object::Ptr counts(const std::map<std::string, std::uint64_t, std::less<>>& values,
                   const auto& names) {
  Object::Ptr out = newObject();
  for (const auto& name : names) {
    auto it = values.find(name);
    Object::Ptr count = newObject();
    count->set("count", static_cast<Poco::UInt64>(it == values.end() ? 0 : it->second));
    out->set(std::string(name), count);
  }
  return out;
}

}  // namespace

ReportBuilder::ReportBuilder(ProductConfig product, std::string installationId)
    : product_(std::move(product)), installationId_(std::move(installationId)) {}

Object::Ptr ReportBuilder::product() const {
  Object::Ptr product = newObject();
  product->set("name", product_.name);
  product->set("version", product_.version);
  product->set("edition", toString(product_.edition));
  return product;
}

Object::Ptr ReportBuilder::initial(bool telemetryEnabled) const {
  Object::Ptr report = newObject();
  report->set("installation", installationId_);
  Object::Ptr product = this->product();
  Object::Ptr internals = newObject();
  internals->set("telemetry-enabled", telemetryEnabled);
  product->set("internals", internals);
  report->set("product", product);
  return report;
}

Object::Ptr ReportBuilder::full(const std::vector<ProbeOutcome>& outcomes,
                                const UsageSnapshot& usage) const {
  auto log = logger();
  std::vector<Section> sections;
  for (const ProbeOutcome& outcome : outcomes) {
    if (outcome.status != ProbeOutcome::Status::value) {
      auto level = outcome.status == ProbeOutcome::Status::notApplicable ? spdlog::level::info
                                                                         : spdlog::level::warn;
      log->log(level, "section {} left out: plugin '{}' {}: {}", outcome.section, outcome.plugin,
               toString(outcome.status), outcome.text);
      continue;
    }
    Section section{outcome.section, outcome.plugin, {}};
    if (std::string problem = parseSection(outcome, section.value); !problem.empty()) {
      log->warn("section {} left out: plugin '{}' {}", outcome.section, outcome.plugin, problem);
      continue;
    }
    auto same = std::find_if(sections.begin(), sections.end(),
                             [&](const Section& s) { return s.pointer == section.pointer; });
    if (same == sections.end()) {
      sections.push_back(std::move(section));
    } else {
      merge(*same, section);
    }
  }

  std::vector<std::string> commandNames;
  for (const auto& [name, count] : usage.commands) commandNames.push_back(name);
  std::map<std::string, std::uint64_t, std::less<>> commandCounts(usage.commands.begin(),
                                                                  usage.commands.end());
  sections.push_back(
      {std::string(kInternals) + "commands", "", counts(commandCounts, commandNames)});
  sections.push_back({std::string(kInternals) + "metrics", "",
                      counts(usage.metrics, report_schema::kMetricNames)});
  std::stable_sort(sections.begin(), sections.end(), [](const Section& a, const Section& b) {
    return rank(a.pointer) < rank(b.pointer);
  });

  Object::Ptr internals = newObject();
  for (const Section& section : sections) place(internals, section);
  Object::Ptr report = newObject();
  report->set("installation", installationId_);
  Object::Ptr product = this->product();
  product->set("internals", internals);
  report->set("product", product);
  return report;
}

std::string sectionProblem(const ProbeOutcome& outcome) {
  Var ignored;
  return parseSection(outcome, ignored);
}

std::string toJsonText(const Object::Ptr& report, bool pretty) {
  std::string text;
  if (pretty) {
    text = prettyJson(report);
  } else {
    std::ostringstream out;
    report->stringify(out, 0);
    text = std::move(out).str();
  }
  // The ways in refuse text that is not UTF-8; should any still get here, the collector
  // would refuse the report for good. Poco copies such bytes as they are, and only inside
  // strings, so replacing them keeps the JSON valid.
  if (!isValidUtf8(text)) {
    logger()->error("the report held bytes that are not UTF-8; they were replaced by U+FFFD");
    return toValidUtf8(text);
  }
  return text;
}

}  // namespace telemetry
