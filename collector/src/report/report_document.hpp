// A report's JSON parsed with RapidJSON into a DOM whose values live in buffers of the
// document itself: no allocation per value, all freed at once.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <stdexcept>
#include <string_view>

namespace telemetry::collector {

/// Why a request body is not one acceptable JSON value. what() is the whole answer text:
/// "not valid JSON: " and what is wrong where (a byte offset, counted from 0, or the JSON
/// pointer of an object that repeats a member name).
class JsonSyntaxError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// One JSON value parsed from a request body: valid UTF-8, containers nested at most
/// kMaxDepth deep, nothing but whitespace after the value, no object repeating a member
/// name. Neither copyable nor movable: the values point into its buffers.
class ReportDocument {
 public:
  static constexpr unsigned kMaxDepth = 32;

  /// Throws JsonSyntaxError.
  explicit ReportDocument(std::string_view body);
  ReportDocument(const ReportDocument&) = delete;
  ReportDocument& operator=(const ReportDocument&) = delete;

  const rapidjson::Value& root() const { return document_; }

 private:
  using Pool = rapidjson::MemoryPoolAllocator<>;
  // The values of the specification's example report (1.6 KB) take 1.9 KB, the parser's
  // stacks 1.3 KB; larger documents spill over into the heap.
  static constexpr std::size_t kValueBuffer = 8 * 1024;
  static constexpr std::size_t kStackBuffer = 2 * 1024;
  static constexpr std::size_t kDocumentStack = 1024;

  alignas(std::max_align_t) char values_[kValueBuffer];
  alignas(std::max_align_t) char stacks_[kStackBuffer];
  Pool valuePool_{values_, sizeof values_};
  Pool stackPool_{stacks_, sizeof stacks_};
  rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool> document_{&valuePool_, kDocumentStack,
                                                                      &stackPool_};
};

}  // namespace telemetry::collector
