// Fuzz target: the upload form's multipart/form-data body (POST /imports from GET /imports'
// form) through ImportForm::parse, Poco's MultipartReader underneath. The first byte picks
// the Content-Type: one of four (a boundary a browser or curl makes, a quoted one, none), or
// the input's first line, hostile like the rest; what follows is the body. An accepted form
// has a token of at most kMaxToken bytes without surrounding white space and a non-empty
// file found in the body; a refusal always says why.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "upload/import_form.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using telemetry::collector::ImportForm;
  using telemetry::collector::ImportFormError;
  if (size == 0) return 0;
  static const char* const kTypes[] = {
      "multipart/form-data; boundary=b",
      "multipart/form-data; boundary=----WebKitFormBoundaryx7Yb",
      "multipart/form-data; boundary=\"quoted boundary\"",
      "multipart/form-data",
  };
  std::string type;
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 5 < 4) {
    type = kTypes[data[0] % 5];
  } else {
    const auto end = body.find('\n');
    type = body.substr(0, end);
    body.erase(0, end == std::string::npos ? body.size() : end + 1);
  }
  try {
    const ImportForm form = ImportForm::parse(body, type);
    if (form.token.size() > ImportForm::kMaxToken) std::abort();
    if (!form.token.empty() &&
        (std::string(" \t\r\n").find(form.token.front()) != std::string::npos ||
         std::string(" \t\r\n").find(form.token.back()) != std::string::npos)) {
      std::abort();
    }
    if (form.file.empty() || form.file.size() > body.size()) std::abort();
    if (body.find(form.file) == std::string::npos) std::abort();
  } catch (const ImportFormError& e) {
    if (std::string(e.what()).empty()) std::abort();
  }
  return 0;
}
