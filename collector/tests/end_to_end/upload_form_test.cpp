// The upload form of offline report files from end to end: the real host writes the file
// (`telemetry send --to FILE`), the real collector serves GET /imports and takes the form's
// multipart body at POST /imports, built here by Poco's HTMLForm as a client would.
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/StringPartSource.h>

#include <sstream>

#include "collector_end_to_end.hpp"
#include "telemetry/storage/database.hpp"

namespace telemetry::collector::test {
namespace {

class UploadFormTest : public CollectorEndToEndTest {
 protected:
  const std::string token = std::string(40, 'k') + "-upload";

  // Writes the admin token and starts the collector with it.
  void startWithToken() {
    writeFile(dir / "admin.token", token + "\n");
    start("admin-token-file: admin.token\n");
  }

  // The real host's offline file: an initial and a full report. Its endpoint is a closed
  // port, so nothing reaches the collector but the upload.
  std::string offlineFile() {
    writeFile(dir / "telemetry.yaml",
              "telemetry:\n  initialize: true\n  endpoint: https://127.0.0.1:9/pings\n"
              "  request-retries: 0\nstate:\n  path: state.db\n"
              "plugins: { paths: [no-plugins] }\n");
    const auto sent = telemetry::test::runProgram(
        TELEMETRY_CLI,
        {"--config", (dir / "telemetry.yaml").string(), "send", "--to", "reports.jsonl"}, dir);
    EXPECT_EQ(sent.exitCode, 0) << sent.out << sent.err;
    return readFile(dir / "reports.jsonl");
  }

  std::string ownOrigin() const { return "https://127.0.0.1:" + std::to_string(port); }

  // What a browser sends for the page's form: multipart/form-data from HTMLForm, Accept
  // text/html, the page's own Origin unless `headers` says otherwise.
  Reply upload(const std::string& tokenValue, const std::string& file,
               std::map<std::string, std::string> headers = {}) {
    Poco::Net::HTMLForm form(Poco::Net::HTMLForm::ENCODING_MULTIPART);
    form.set("token", tokenValue);
    form.addPart(
        "file", new Poco::Net::StringPartSource(file, "application/octet-stream", "reports.jsonl"));
    Poco::Net::HTTPRequest prepared(Poco::Net::HTTPRequest::HTTP_POST, "/imports");
    form.prepareSubmit(prepared);
    std::ostringstream body;
    form.write(body);
    headers.emplace("Content-Type", prepared.getContentType());
    return post(body.str(), std::move(headers));
  }

  Reply post(const std::string& body, std::map<std::string, std::string> headers) {
    headers.emplace("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    headers.emplace("Origin", ownOrigin());
    return request("POST", "/imports", body, std::move(headers));
  }

  std::size_t storedReports() {
    auto database = storage::openDatabase((dir / "collector.db").string());
    std::size_t count = 0;
    *database.session << "SELECT COUNT(*) FROM reports", Poco::Data::Keywords::into(count),
        Poco::Data::Keywords::now;
    return count;
  }
};

bool isPage(const Reply& reply) {
  return reply.headers.count("Content-Type") &&
         reply.headers.at("Content-Type") == "text/html; charset=utf-8" &&
         reply.body.starts_with("<!DOCTYPE html>");
}

TEST_F(UploadFormTest, ThePageHasTheFormAndKeepsItselfToItself) {
  startWithToken();
  Reply page = request("GET", "/imports");
  EXPECT_EQ(page.status, 200);
  ASSERT_TRUE(isPage(page)) << page.body;
  EXPECT_NE(page.body.find("enctype=\"multipart/form-data\""), std::string::npos);
  EXPECT_NE(page.body.find("type=\"password\" name=\"token\""), std::string::npos);
  EXPECT_NE(page.body.find("type=\"file\" name=\"file\""), std::string::npos);
  EXPECT_EQ(page.body.find(token), std::string::npos) << "the page never holds the token";
  EXPECT_NE(page.headers["Content-Security-Policy"].find("frame-ancestors 'none'"),
            std::string::npos);
  EXPECT_NE(page.headers["Content-Security-Policy"].find("form-action 'self'"), std::string::npos);
  EXPECT_EQ(page.headers["Cache-Control"], "no-store");
  // no-referrer would make browsers send the form with "Origin: null", which is refused.
  EXPECT_EQ(page.headers["Referrer-Policy"], "same-origin");
  // The dashboard links to it.
  EXPECT_NE(request("GET", "/").body.find("href=\"/imports\""), std::string::npos);
}

TEST_F(UploadFormTest, AFormUploadStoresEachReportOnceAndASecondUploadSaysDuplicate) {
  startWithToken();
  const std::string file = offlineFile();
  ASSERT_FALSE(file.empty());

  const Reply first = upload(token, file);
  EXPECT_EQ(first.status, 200) << first.body;
  ASSERT_TRUE(isPage(first)) << first.body;
  EXPECT_NE(first.body.find("<b>2</b>stored"), std::string::npos) << first.body;
  EXPECT_NE(first.body.find("<b>0</b>duplicate(s)"), std::string::npos) << first.body;
  EXPECT_EQ(first.body.find(token), std::string::npos) << "the answer never echoes the token";
  EXPECT_EQ(storedReports(), 2u);

  // A token pasted with its file's newline still opens the door.
  const Reply second = upload(token + "\n", file);
  EXPECT_EQ(second.status, 200) << second.body;
  EXPECT_NE(second.body.find("<b>0</b>stored"), std::string::npos) << second.body;
  EXPECT_NE(second.body.find("<b>2</b>duplicate(s)"), std::string::npos) << second.body;
  EXPECT_EQ(storedReports(), 2u) << "nothing stored twice";

  // A refused line is listed like in the JSON answer, the others are still decided.
  const Reply mixed = upload(token, file + "not json\n");
  EXPECT_NE(mixed.body.find("<td>3</td><td>not valid JSON"), std::string::npos) << mixed.body;
}

TEST_F(UploadFormTest, AWrongTokenIsRefusedWith403AndAPage) {
  startWithToken();
  const std::string file = offlineFile();
  for (const std::string& wrong : {token + "x", std::string(""), token.substr(1)}) {
    const Reply refused = upload(wrong, file);
    EXPECT_EQ(refused.status, 403) << wrong;
    ASSERT_TRUE(isPage(refused)) << refused.body;
    EXPECT_NE(refused.body.find("wrong admin token"), std::string::npos) << refused.body;
    if (!wrong.empty()) {
      EXPECT_EQ(refused.body.find(wrong), std::string::npos);
    }
  }
  EXPECT_EQ(storedReports(), 0u);
  EXPECT_NE(collector->log().find("wrong admin token in the upload form"), std::string::npos);
  EXPECT_EQ(collector->log().find(token), std::string::npos) << "the log never holds a token";
}

TEST_F(UploadFormTest, AFormFromAnotherSiteIsRefusedEvenWithTheRightToken) {
  startWithToken();
  const std::string file = offlineFile();
  Reply refused = upload(token, file, {{"Origin", "https://evil.example"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_TRUE(isPage(refused)) << refused.body;
  refused = upload(token, file, {{"Origin", "null"}});
  EXPECT_EQ(refused.status, 403);
  refused = upload(token, file, {{"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(refused.status, 403);
  // The same holds for a script's bearer upload made from another page.
  refused = request("POST", "/imports", file,
                    {{"Authorization", "Bearer " + token}, {"Origin", "https://evil.example"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.headers["Content-Type"], "application/json") << "curl-like: JSON";
  EXPECT_EQ(storedReports(), 0u);
}

TEST_F(UploadFormTest, WithoutAnAdminTokenThePageSaysUploadsAreOffAndAFormIs403) {
  start();
  const Reply page = request("GET", "/imports");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Uploads are off"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("<form"), std::string::npos);
  const Reply refused = upload("anything", "x\n");
  EXPECT_EQ(refused.status, 403);
  ASSERT_TRUE(isPage(refused)) << refused.body;
  EXPECT_NE(refused.body.find("admin-token-file"), std::string::npos);
}

TEST_F(UploadFormTest, AHostileFormIsRefusedWith400AndAPage) {
  startWithToken();
  const std::string file = offlineFile();
  const std::string type = "multipart/form-data; boundary=b0und";
  auto part = [](const std::string& name, const std::string& content) {
    return "--b0und\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + content +
           "\r\n";
  };
  const std::string whole = part("token", token) + part("file", file) + "--b0und--\r\n";
  struct Case {
    std::string body;
    std::string contentType;
    std::string says;
  };
  const std::vector<Case> cases{
      {whole.substr(0, whole.size() - 12), type, "truncated"},
      {part("token", token) + part("token", token) + part("file", file) + "--b0und--\r\n", type,
       "more than one &#39;token&#39; part"},
      {part("token", token) + part("file", file) + part("file", file) + "--b0und--\r\n", type,
       "more than one &#39;file&#39; part"},
      {part("token", token) + "--b0und--\r\n", type, "no &#39;file&#39; part"},
      {whole, "multipart/form-data", "no boundary"},
  };
  for (const auto& c : cases) {
    const Reply refused = post(c.body, {{"Content-Type", c.contentType}});
    EXPECT_EQ(refused.status, 400) << c.says;
    EXPECT_TRUE(isPage(refused)) << refused.body;
    EXPECT_NE(refused.body.find(c.says), std::string::npos) << refused.body;
  }
  EXPECT_EQ(storedReports(), 0u);
  // A file with NUL and invalid UTF-8: each line refused by the line reader, none stored.
  const Reply bad = upload(token, std::string("{\"kind\":\0\"full\"}\n\xff\xfe\n", 20));
  EXPECT_EQ(bad.status, 200) << bad.body;
  EXPECT_NE(bad.body.find("<b>2</b>refused"), std::string::npos) << bad.body;
  EXPECT_EQ(storedReports(), 0u);
}

TEST_F(UploadFormTest, ABearerUploadGetsJsonUnlessItAsksForAPage) {
  startWithToken();
  const std::string file = offlineFile();
  const Reply json = request("POST", "/imports", file, {{"Authorization", "Bearer " + token}});
  EXPECT_EQ(json.status, 200);
  EXPECT_EQ(json.body, R"({"stored":2,"duplicates":0,"dropped":0,"refused":[],"more-refused":0})");
  const Reply page = request("POST", "/imports", file,
                             {{"Authorization", "Bearer " + token}, {"Accept", "text/html"}});
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(isPage(page)) << page.body;
  EXPECT_NE(page.body.find("<b>2</b>duplicate(s)"), std::string::npos) << page.body;
}

}  // namespace
}  // namespace telemetry::collector::test
