#include "plugins/descriptors/child_descriptor_reader.hpp"

#include <Poco/JSON/Parser.h>

#include "config/logging.hpp"
#include "plugins/descriptors/descriptor_cache.hpp"
#include "plugins/descriptors/plugin_description.hpp"
#include "report/utf8_text.hpp"

namespace telemetry {
namespace {

/// Sets `info` from what the child answered, or refuses the plugin saying why.
void takeOutcome(const ProbeOutcome& outcome, PluginInfo& info) {
  if (outcome.status != ProbeOutcome::Status::value) {
    info.state = "refused: loading it in telemetry-probe: " + outcome.text;
    return;
  }
  try {
    if (firstEscapedNul(outcome.text)) throw std::runtime_error("it holds an escaped NUL");
    auto json = Poco::JSON::Parser().parse(outcome.text).extract<Poco::JSON::Object::Ptr>();
    if (!json) throw std::runtime_error("not a JSON object");
    descriptionFromJson(*json, info);
  } catch (const std::exception& e) {
    // Plugin code ran in that child and may have written the answer itself.
    info.state = std::string("refused: telemetry-probe answered a malformed description: ") +
                 printable(e.what(), 200);
  }
}

/// Whether the outcome says something about the file, not about this moment: a child that
/// could not be started or was not started before its deadline may fare better next time.
bool aboutThePlugin(const ProbeOutcome& outcome) {
  if (outcome.status == ProbeOutcome::Status::timedOut) {
    return outcome.text.starts_with("no answer within");
  }
  return !(outcome.status == ProbeOutcome::Status::failed &&
           outcome.text.starts_with("cannot start "));
}

}  // namespace

ChildDescriptorReader::ChildDescriptorReader(ProcessProbeRunnerOptions options, Duration timeout,
                                             std::optional<std::filesystem::path> cacheFile)
    : runner_(std::move(options)), timeout_(timeout), cacheFile_(std::move(cacheFile)) {}

void ChildDescriptorReader::read(std::vector<Candidate>& candidates) {
  std::optional<DescriptorCache> cache;
  if (cacheFile_) cache.emplace(*cacheFile_);
  std::vector<ProbeTask> tasks;
  std::vector<std::size_t> taskOf;
  std::vector<std::optional<DescriptorCache::FileIdentity>> before;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    PluginInfo& info = candidates[i].info;
    auto identity = DescriptorCache::FileIdentity::of(info.file);
    if (auto cached =
            cache && identity ? cache->find(info.file, *identity, timeout_) : std::nullopt) {
      info = *cached;
    } else {
      ProbeTask task;
      task.plugin = std::make_shared<LoadedPlugin>(info);
      task.timeout = timeout_;
      task.describeOnly = true;
      tasks.push_back(std::move(task));
      taskOf.push_back(i);
      before.push_back(identity);
    }
  }
  childrenStarted_ = tasks.size();
  if (!tasks.empty()) {
    logger("telemetry.catalog")
        ->debug("reading {} plugin descriptors in telemetry-probe children ({} from the cache)",
                tasks.size(), candidates.size() - tasks.size());
  }
  std::vector<ProbeOutcome> outcomes = runner_.run(tasks);
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    PluginInfo& info = candidates[taskOf[t]].info;
    takeOutcome(outcomes[t], info);
    // Kept only if the file read is the file whose identity is kept.
    if (cache && before[t] && aboutThePlugin(outcomes[t]) &&
        DescriptorCache::FileIdentity::of(info.file) == before[t]) {
      bool timedOut = outcomes[t].status == ProbeOutcome::Status::timedOut;
      cache->put(info.file, *before[t], info,
                 timedOut ? std::optional<Duration>(timeout_) : std::nullopt);
    }
  }
  for (Candidate& candidate : candidates) {
    if (candidate.info.usable()) candidate.plugin = std::make_shared<LoadedPlugin>(candidate.info);
  }
  if (cache) cache->save();
}

}  // namespace telemetry
