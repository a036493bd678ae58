// The answer of POST /imports to a browser: what became of the uploaded file's reports,
// the same figures as the JSON answer, or why the upload was refused.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "import/report_importer.hpp"

namespace telemetry::collector {

class ImportResultPage {
 public:
  /// Counts of stored, duplicate, dropped and refused reports, and the first `maxListed`
  /// refused lines with their reasons (escaped: a reason may quote a member name).
  static std::string render(const ImportSummary& summary, std::size_t maxListed);
  /// The upload was refused as a whole (bad form, wrong token, too large...): `message`,
  /// escaped, and a link back to the form.
  static std::string refusal(std::string_view message);
};

}  // namespace telemetry::collector
