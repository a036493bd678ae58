// Splits an offline report file (telemetry send --to FILE) into lines as it streams by:
// nothing beyond one line's limit is ever held, however large the file or a line.
#pragma once

#include <cstddef>
#include <istream>
#include <string>

namespace telemetry::collector {

/// One line of the file, without its newline, numbered from 1.
struct ImportLine {
  enum class Problem { none, tooLong, unterminated };
  std::string text;  ///< empty when tooLong: the line's bytes were skipped, not kept
  std::size_t number = 0;
  /// tooLong: more than the limit (read to its end and dropped); unterminated: the file
  /// ends without a newline after it (a truncated copy or upload).
  Problem problem = Problem::none;
};

class ImportLineReader {
 public:
  /// `in` must outlive the reader.
  ImportLineReader(std::istream& in, std::size_t maxLine);

  /// The next line, or false at the end of the file.
  bool next(ImportLine& line);

 private:
  std::streambuf* in_;
  std::size_t maxLine_;
  std::size_t number_ = 0;
};

}  // namespace telemetry::collector
