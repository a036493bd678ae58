#include "import/import_line_reader.hpp"

namespace telemetry::collector {

ImportLineReader::ImportLineReader(std::istream& in, std::size_t maxLine)
    : in_(in.rdbuf()), maxLine_(maxLine) {}

bool ImportLineReader::next(ImportLine& line) {
  line.text.clear();
  line.problem = ImportLine::Problem::none;
  if (in_ == nullptr) return false;
  using Traits = std::streambuf::traits_type;
  bool any = false;
  for (auto c = in_->sbumpc(); !Traits::eq_int_type(c, Traits::eof()); c = in_->sbumpc()) {
    any = true;
    if (Traits::to_char_type(c) == '\n') {
      line.number = ++number_;
      return true;
    }
    if (line.problem == ImportLine::Problem::tooLong) continue;
    if (line.text.size() == maxLine_) {
      line.problem = ImportLine::Problem::tooLong;
      std::string().swap(line.text);
      continue;
    }
    line.text.push_back(Traits::to_char_type(c));
  }
  if (!any) return false;
  line.number = ++number_;
  if (line.problem == ImportLine::Problem::none) line.problem = ImportLine::Problem::unterminated;
  return true;
}

}  // namespace telemetry::collector
