#include "probes/probe_history.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "config/logging.hpp"
#include "report/report_builder.hpp"

namespace telemetry {
namespace {

std::string utcNow() {
  std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

Poco::JSON::Object::Ptr readObject(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return new Poco::JSON::Object;
  try {
    return Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception& e) {
    logger()->warn("ignoring unreadable probe history {}: {}", file.string(), e.what());
    return new Poco::JSON::Object;
  }
}

}  // namespace

std::filesystem::path ProbeHistory::locationFor(const StateConfig& state) {
  if (state.path.find("://") != std::string::npos) return "telemetry-probes.json";
  return state.path + ".probes.json";
}

std::string ProbeHistory::describe(const ProbeOutcome& outcome) {
  if (outcome.status == ProbeOutcome::Status::value) {
    std::string problem = sectionProblem(outcome);
    return problem.empty() ? "ok" : "failed: " + problem;
  }
  return toString(outcome.status) + (outcome.text.empty() ? "" : ": " + outcome.text);
}

void ProbeHistory::record(const std::vector<ProbeOutcome>& outcomes) noexcept {
  if (outcomes.empty()) return;
  std::filesystem::path temporary = file_;
  temporary += ".tmp-" + std::to_string(::getpid());
  try {
    Poco::JSON::Object::Ptr all = readObject(file_);
    const std::string at = utcNow();
    for (const ProbeOutcome& outcome : outcomes) {
      Poco::JSON::Object::Ptr entry = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      entry->set("outcome", describe(outcome));
      entry->set("duration-ms", static_cast<Poco::Int64>(outcome.elapsed.count()));
      entry->set("at", at);
      all->set(outcome.plugin, entry);
    }
    // Written aside and renamed, so a reader never sees half a file.
    {
      std::ofstream out(temporary, std::ios::trunc);
      all->stringify(out, 2);
      out << '\n';
      if (!out.flush()) throw std::runtime_error("cannot write " + temporary.string());
    }
    std::filesystem::rename(temporary, file_);
  } catch (const std::exception& e) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    try {
      logger()->warn("cannot record probe outcomes in {}: {}", file_.string(), e.what());
    } catch (...) {
    }
  }
}

std::map<std::string, ProbeHistory::Entry> ProbeHistory::read() const {
  std::map<std::string, Entry> entries;
  std::error_code ec;
  if (!std::filesystem::exists(file_, ec)) return entries;
  Poco::JSON::Object::Ptr all = readObject(file_);
  for (const auto& [name, value] : *all) {
    try {
      auto object = value.extract<Poco::JSON::Object::Ptr>();
      entries[name] = Entry{object->optValue<std::string>("outcome", ""),
                            object->optValue<Poco::Int64>("duration-ms", 0),
                            object->optValue<std::string>("at", "")};
    } catch (const Poco::Exception&) {
      // An entry of another shape (a newer host?) is skipped, not fatal.
    }
  }
  return entries;
}

}  // namespace telemetry
