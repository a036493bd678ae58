// The upload form's multipart body: what a browser sends is read exactly; hostile bodies
// (truncated, repeated or unknown parts, huge part headers, no boundary) are refused.
#include "upload/import_form.hpp"

#include <gtest/gtest.h>

#include <string>

namespace telemetry::collector {
namespace {

const std::string kType = "multipart/form-data; boundary=----WebKitFormBoundaryx7Yb";
const std::string kDelimiter = "------WebKitFormBoundaryx7Yb";

std::string part(const std::string& name, const std::string& content,
                 const std::string& extraHeaders = "") {
  return kDelimiter + "\r\nContent-Disposition: form-data; name=\"" + name + "\"" +
         (name == "file" ? "; filename=\"reports.jsonl\"\r\nContent-Type: "
                           "application/octet-stream"
                         : "") +
         "\r\n" + extraHeaders + "\r\n" + content + "\r\n";
}

std::string body(const std::string& parts) { return parts + kDelimiter + "--\r\n"; }

std::string refusal(const std::string& text, const std::string& type = kType) {
  try {
    ImportForm::parse(text, type);
  } catch (const ImportFormError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(ImportFormTest, ReadsTheTokenAndTheFileAsABrowserSendsThem) {
  const std::string file = "{\"kind\":\"full\"}\r\n{\"a\":1}\n\n--not-the-boundary\n";
  const auto form =
      ImportForm::parse(body(part("token", "secret-token") + part("file", file)), kType);
  EXPECT_EQ(form.token, "secret-token");
  EXPECT_EQ(form.file, file);
}

TEST(ImportFormTest, TakesThePartsInAnyOrderAndTrimsThePastedToken) {
  const auto form = ImportForm::parse(
      body(part("file", "x\n") + part("token", " tok\r\n")),
      "Multipart/Form-Data; charset=utf-8; boundary=\"" + kDelimiter.substr(2) + "\"");
  EXPECT_EQ(form.token, "tok");
  EXPECT_EQ(form.file, "x\n");
}

TEST(ImportFormTest, KeepsTheBoundaryTextInsideAPartWhenItIsNotADelimiterLine) {
  const std::string file = "a " + kDelimiter + "--\nb\r\n" + kDelimiter + "x\n";
  EXPECT_EQ(ImportForm::parse(body(part("token", "t") + part("file", file)), kType).file, file);
}

TEST(ImportFormTest, RefusesAContentTypeWithoutAUsableBoundary) {
  EXPECT_EQ(refusal("", "multipart/form-data"),
            "the multipart/form-data Content-Type has no boundary");
  EXPECT_EQ(refusal("", "multipart/form-data; boundary="),
            "the multipart boundary is not 1 to 70 characters of RFC 2046");
  EXPECT_EQ(refusal("", "multipart/form-data; boundary=" + std::string(71, 'b')),
            "the multipart boundary is not 1 to 70 characters of RFC 2046");
  EXPECT_EQ(refusal("", "multipart/form-data; boundary=a\x01"),
            "the multipart boundary is not 1 to 70 characters of RFC 2046");
  EXPECT_EQ(refusal("", "application/x-ndjson"), "the body is not multipart/form-data");
}

TEST(ImportFormTest, RefusesATruncatedBodyWherePocoWouldSeeAShortLastPart) {
  const std::string whole = body(part("token", "t") + part("file", "line\n"));
  for (std::size_t cut : {whole.size() - 3, whole.size() - 10, whole.size() / 2, std::size_t{1}}) {
    EXPECT_EQ(refusal(whole.substr(0, cut)),
              cut < kDelimiter.size() + 2
                  ? "the body does not start with its boundary"
                  : "the body ends before its closing boundary (a truncated upload?)")
        << cut;
  }
  // Cut right after a line of the file: without the close delimiter it is still refused.
  EXPECT_EQ(refusal(part("token", "t") + part("file", "line\n")),
            "the body ends before its closing boundary (a truncated upload?)");
}

TEST(ImportFormTest, RefusesARepeatedMissingOrUnknownPart) {
  EXPECT_EQ(refusal(body(part("token", "a") + part("token", "b") + part("file", "x"))),
            "the form has more than one 'token' part");
  EXPECT_EQ(refusal(body(part("token", "a") + part("file", "x") + part("file", "y"))),
            "the form has more than one 'file' part");
  EXPECT_EQ(refusal(body(part("file", "x"))), "the form has no 'token' part");
  EXPECT_EQ(refusal(body(part("token", "a"))), "the form has no 'file' part");
  EXPECT_EQ(refusal(body(part("token", "a") + part("file", ""))),
            "the uploaded file is empty: choose a report file");
  EXPECT_EQ(refusal(body(part("token", "a") + part("<script>", "x") + part("file", "x"))),
            "the form has a part other than 'token' and 'file'");
  EXPECT_EQ(refusal(body(kDelimiter + "\r\nContent-Type: text/plain\r\n\r\nx\r\n")),
            "a part has no 'Content-Disposition: form-data' with a name");
  EXPECT_EQ(refusal(body(kDelimiter + "\r\nContent-Disposition: attachment; name=\"file\"\r\n"
                                      "\r\nx\r\n")),
            "a part has no 'Content-Disposition: form-data' with a name");
}

TEST(ImportFormTest, RefusesAnOversizedTokenOrPartHeaders) {
  EXPECT_EQ(
      refusal(body(part("token", std::string(ImportForm::kMaxToken + 1, 't')) + part("file", "x"))),
      "the 'token' part is too long");
  EXPECT_EQ(
      ImportForm::parse(
          body(part("token", std::string(ImportForm::kMaxToken, 't')) + part("file", "x")), kType)
          .token.size(),
      ImportForm::kMaxToken);
  const std::string hugeHeader = "X-Padding: " + std::string(100000, 'p') + "\r\n";
  EXPECT_EQ(refusal(body(part("token", "t", hugeHeader) + part("file", "x"))),
            "the body is not valid multipart/form-data: Field value too long/no CRLF found");
  std::string manyHeaders;
  for (int i = 0; i < ImportForm::kMaxPartHeaders; ++i) manyHeaders += "X-A: b\r\n";
  EXPECT_EQ(refusal(body(part("token", "t", manyHeaders) + part("file", "x"))),
            "the body is not valid multipart/form-data: Too many header fields");
}

TEST(ImportFormTest, RefusesABodyThatGoesOnAfterAnEarlyClosingBoundary) {
  // A close delimiter inside the first part ends the form for Poco: the rest would be
  // ignored silently, so the whole body is refused instead.
  EXPECT_EQ(refusal(body(part("token", "t\r\n" + kDelimiter + "--\r\nmore") + part("file", "x"))),
            "the body goes on after its closing boundary");
  // Worse, inside the file: the file would be cut there and its tail dropped unseen.
  EXPECT_EQ(refusal(body(part("token", "t") +
                         part("file", "line 1\n\r\n" + kDelimiter + "--\r\nline 2\n"))),
            "the body goes on after its closing boundary");
}

TEST(ImportFormTest, RefusesABodyWithAPreambleOrNoParts) {
  EXPECT_EQ(refusal("preamble\r\n" + body(part("token", "t") + part("file", "x"))),
            "the body does not start with its boundary");
  EXPECT_EQ(refusal(kDelimiter + "--\r\n"), "the body does not start with its boundary");
  EXPECT_EQ(refusal(kDelimiter + "\r\n\r\n" + kDelimiter + "--"),
            "a part has no 'Content-Disposition: form-data' with a name");
}

TEST(ImportFormTest, RecognisesTheFormContentTypeOnly) {
  EXPECT_TRUE(ImportForm::isForm(kType));
  EXPECT_TRUE(ImportForm::isForm("MULTIPART/FORM-DATA"));
  EXPECT_FALSE(ImportForm::isForm("application/x-ndjson"));
  EXPECT_FALSE(ImportForm::isForm("multipart/mixed; boundary=x"));
  EXPECT_FALSE(ImportForm::isForm(""));
}

}  // namespace
}  // namespace telemetry::collector
