#include "api/strict_json_handler.hpp"

#include "report/utf8_text.hpp"

namespace telemetry::api {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

}  // namespace

StrictJsonHandler::StrictJsonHandler(std::optional<std::string> replaced)
    : Poco::JSON::ParseHandler(true), replaced_(std::move(replaced)) {}

void StrictJsonHandler::reset() {
  Poco::JSON::ParseHandler::reset();
  frames_.clear();
  problem_.reset();
}

std::string StrictJsonHandler::valuePath() const {
  if (frames_.empty()) return {};
  const Frame& top = frames_.back();
  if (!top.object) return top.path + "[" + std::to_string(top.index) + "]";
  return top.path.empty() ? top.key : top.path + "." + top.key;
}

void StrictJsonHandler::advance() {
  if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
}

void StrictJsonHandler::note(std::string field, std::string message) {
  if (!problem_) problem_ = JsonBodyProblem{std::move(field), std::move(message)};
}

void StrictJsonHandler::checkText(const std::string& text, const std::string& field) {
  if (replaced_ && text.find(kReplacementCharacter) != std::string::npos) {
    note(field, *replaced_);
  } else if (auto problem = textProblem(text)) {
    note(field, *problem);
  }
}

void StrictJsonHandler::startObject() {
  Frame frame;
  frame.object = true;
  frame.path = valuePath();
  advance();
  frames_.push_back(std::move(frame));
  Poco::JSON::ParseHandler::startObject();
}

void StrictJsonHandler::endObject() {
  frames_.pop_back();
  Poco::JSON::ParseHandler::endObject();
}

void StrictJsonHandler::startArray() {
  Frame frame;
  frame.path = valuePath();
  advance();
  frames_.push_back(std::move(frame));
  Poco::JSON::ParseHandler::startArray();
}

void StrictJsonHandler::endArray() {
  frames_.pop_back();
  Poco::JSON::ParseHandler::endArray();
}

void StrictJsonHandler::key(const std::string& k) {
  Frame& top = frames_.back();
  top.key = k;
  const std::string field = valuePath();
  checkText(k, field);
  // Poco keeps the last of two equal keys; clients differ, so the API takes neither.
  if (!top.keys.insert(k).second) note(field, "is given twice; each key may appear once");
  Poco::JSON::ParseHandler::key(k);
}

void StrictJsonHandler::value(int v) {
  advance();
  Poco::JSON::ParseHandler::value(v);
}

void StrictJsonHandler::value(unsigned v) {
  advance();
  Poco::JSON::ParseHandler::value(v);
}

void StrictJsonHandler::value(Poco::Int64 v) {
  advance();
  Poco::JSON::ParseHandler::value(v);
}

void StrictJsonHandler::value(Poco::UInt64 v) {
  advance();
  Poco::JSON::ParseHandler::value(v);
}

void StrictJsonHandler::value(const std::string& s) {
  checkText(s, valuePath());
  advance();
  Poco::JSON::ParseHandler::value(s);
}

void StrictJsonHandler::value(double d) {
  advance();
  Poco::JSON::ParseHandler::value(d);
}

void StrictJsonHandler::value(bool b) {
  advance();
  Poco::JSON::ParseHandler::value(b);
}

void StrictJsonHandler::null() {
  advance();
  Poco::JSON::ParseHandler::null();
}

}  // namespace telemetry::api
