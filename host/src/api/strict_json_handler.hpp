// Builds a REST request body's JSON like Poco's ParseHandler and notes the first thing the
// API refuses that Poco's parser lets through: a key twice in one object (the collector
// refuses those too) and keys or strings that hold NUL (\u0000) or are not UTF-8.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <Poco/JSON/ParseHandler.h>

namespace telemetry::api {

/// The first refused thing found: where ("commands.X", "workers[2]") and what.
struct JsonBodyProblem {
  std::string field;
  std::string message;
};

class StrictJsonHandler : public Poco::JSON::ParseHandler {
 public:
  using Ptr = Poco::SharedPtr<StrictJsonHandler>;

  /// `replaced`: what the body held that was replaced by U+FFFD before parsing (bytes that
  /// are not UTF-8, an escaped NUL); the first key or string holding U+FFFD is blamed for it.
  explicit StrictJsonHandler(std::optional<std::string> replaced = std::nullopt);

  /// What to refuse the body for; never throws while parsing (a throw would leave Poco's
  /// parser without its cleanup).
  const std::optional<JsonBodyProblem>& problem() const { return problem_; }

  void reset() override;
  void startObject() override;
  void endObject() override;
  void startArray() override;
  void endArray() override;
  void key(const std::string& k) override;
  void value(int v) override;
  void value(unsigned v) override;
  void value(Poco::Int64 v) override;
  void value(Poco::UInt64 v) override;
  void value(const std::string& s) override;
  void value(double d) override;
  void value(bool b) override;
  void null() override;

 private:
  struct Frame {
    bool object = false;
    std::string path;
    std::set<std::string> keys;
    std::string key;
    std::size_t index = 0;
  };

  /// The path of the value now being read, e.g. "commands.X" or "workers[0]".
  std::string valuePath() const;
  /// Moves an array on to its next element.
  void advance();
  void checkText(const std::string& text, const std::string& field);
  void note(std::string field, std::string message);

  std::optional<std::string> replaced_;
  std::vector<Frame> frames_;
  std::optional<JsonBodyProblem> problem_;
};

}  // namespace telemetry::api
