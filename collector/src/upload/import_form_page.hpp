// GET /imports: the page where an administrator uploads an offline report file
// (`telemetry send --to FILE`) with the admin token, from a browser.
#pragma once

#include <string>

namespace telemetry::collector {

/// No script: a plain form posting multipart/form-data to POST /imports. It never holds
/// the token (the field starts empty), so the page may be shown to anyone.
class ImportFormPage {
 public:
  /// `uploadsEnabled`: an admin-token-file is configured; otherwise the page says uploads
  /// are off and how to switch them on, and has no form.
  static std::string render(bool uploadsEnabled);
};

}  // namespace telemetry::collector
