#include "upload/import_form.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/String.h>

#include <algorithm>
#include <optional>
#include <sstream>

namespace telemetry::collector {
namespace {

// RFC 2046 bchars: the characters a boundary may have (a space, but not as its last one).
bool boundaryCharacter(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// The part's content; more than `limit` bytes is refused with `tooLong`.
std::string readPart(std::istream& part, std::size_t limit, const char* tooLong) {
  std::string content;
  char chunk[8192];
  while (part.read(chunk, sizeof chunk) || part.gcount() > 0) {
    content.append(chunk, static_cast<std::size_t>(part.gcount()));
    if (content.size() > limit) throw ImportFormError(tooLong);
  }
  return content;
}

// Where the body must end: just after "CRLF--boundary--", a CRLF after it allowed. A body
// cut short anywhere lacks it, whatever Poco's reader would make of the rest.
std::size_t formEnd(std::string_view body, const std::string& delimiter) {
  if (body.ends_with("\r\n")) body.remove_suffix(2);
  if (!body.ends_with("\r\n" + delimiter + "--")) {
    throw ImportFormError("the body ends before its closing boundary (a truncated upload?)");
  }
  return body.size();
}

}  // namespace

bool ImportForm::isForm(std::string_view contentType) {
  return Poco::Net::MediaType(std::string(contentType)).matches("multipart", "form-data");
}

std::string ImportForm::boundary(std::string_view contentType) {
  const Poco::Net::MediaType type{std::string(contentType)};
  if (!type.matches("multipart", "form-data")) {
    throw ImportFormError("the body is not multipart/form-data");
  }
  if (!type.hasParameter("boundary")) {
    throw ImportFormError("the multipart/form-data Content-Type has no boundary");
  }
  std::string boundary = type.getParameter("boundary");
  if (boundary.empty() || boundary.size() > 70 || boundary.back() == ' ' ||
      !std::ranges::all_of(boundary, boundaryCharacter)) {
    throw ImportFormError("the multipart boundary is not 1 to 70 characters of RFC 2046");
  }
  return boundary;
}

ImportForm ImportForm::parse(std::string body, std::string_view contentType) {
  const std::string delimiter = "--" + boundary(contentType);
  // No preamble: browsers and curl start with the first boundary, and a body that does not
  // is not one of theirs.
  if (!std::string_view(body).starts_with(delimiter + "\r\n")) {
    throw ImportFormError("the body does not start with its boundary");
  }
  const auto end = static_cast<std::streamoff>(formEnd(body, delimiter));
  std::istringstream in(std::move(body));
  std::optional<std::string> token;
  std::optional<std::string> file;
  try {
    Poco::Net::MultipartReader reader(in, delimiter.substr(2));
    while (reader.hasNextPart()) {
      Poco::Net::MessageHeader header;
      header.setFieldLimit(kMaxPartHeaders);
      reader.nextPart(header);
      std::string disposition;
      Poco::Net::NameValueCollection parameters;
      Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition,
                                                parameters);
      if (Poco::icompare(disposition, "form-data") != 0 || !parameters.has("name")) {
        throw ImportFormError("a part has no 'Content-Disposition: form-data' with a name");
      }
      const std::string& name = parameters.get("name");
      if (name == "token") {
        if (token) throw ImportFormError("the form has more than one 'token' part");
        token = trimmed(readPart(reader.stream(), kMaxToken, "the 'token' part is too long"));
      } else if (name == "file") {
        if (file) throw ImportFormError("the form has more than one 'file' part");
        file =
            readPart(reader.stream(), static_cast<std::size_t>(end), "the 'file' part is too long");
      } else {
        // Not echoed: the name is the sender's bytes, and the answer may be JSON.
        throw ImportFormError("the form has a part other than 'token' and 'file'");
      }
    }
  } catch (const Poco::Exception& e) {
    throw ImportFormError("the body is not valid multipart/form-data: " + e.message());
  }
  // Poco stops at the first closing boundary; one inside a part would leave parts unread.
  if (in.rdbuf()->pubseekoff(0, std::ios::cur, std::ios::in) != end) {
    throw ImportFormError("the body goes on after its closing boundary");
  }
  if (!token) throw ImportFormError("the form has no 'token' part");
  if (!file) throw ImportFormError("the form has no 'file' part");
  if (file->empty()) throw ImportFormError("the uploaded file is empty: choose a report file");
  return ImportForm{std::move(*token), std::move(*file)};
}

}  // namespace telemetry::collector
