// Fills a fresh collector store for `scripts/bench dashboard` (bench/dashboard_latency.py):
// INSTALLATIONS installations with about REPORTS reports each over the last 90 days, stored
// through ReportStore::submitAll, the spool drain's path, so that whatever the store keeps on
// write (duplicate checks, indexes, summaries) is kept as in production. Not through HTTP:
// a million installations over the network would take hours on the bench machine.
//
// usage: bench-dashboard-fill STORE INSTALLATIONS REPORTS [SEED]
//   STORE: an SQLite file or a postgresql:// URL, empty or new.
// Progress goes to stderr; one JSON line to stdout: what was generated (the figures
// /api/stats must show afterwards) and how long storing it took.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "report/received_report.hpp"
#include "report/report_document.hpp"
#include "report/report_validator.hpp"
#include "store/report_store.hpp"

namespace {

using telemetry::collector::ReceivedReport;
using telemetry::collector::ReportDocument;
using telemetry::collector::ReportStore;
using telemetry::collector::ReportValidator;
using telemetry::collector::StoreOutcome;

constexpr std::int64_t kDays = 90;
constexpr std::int64_t kDay = 86400;
// The drain's default drain-batch: reports per transaction.
constexpr std::size_t kBatch = 4096;

// SplitMix64: a stateless hash, so each installation's profile is a function of (seed, i)
// and reports can be generated in any order.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class Random {
 public:
  explicit Random(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() { return mix(state_ += 0x632be59bd9b4e019ULL); }
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  std::int64_t below(std::int64_t n) { return static_cast<std::int64_t>(next() % n); }
  bool chance(double p) { return unit() < p; }
  // An index drawn with the given weights.
  template <std::size_t N>
  std::size_t pick(const std::array<double, N>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double at = unit() * total;
    for (std::size_t i = 0; i < N; ++i) {
      if ((at -= weights[i]) < 0) return i;
    }
    return N - 1;
  }

 private:
  std::uint64_t state_;
};

// Newest first; an upgrade moves towards the front.
const std::array<const char*, 30> kVersions = {
    "7.24.0", "7.23.0", "7.22.1", "7.22.0", "7.21.0", "7.20.2", "7.20.0", "7.19.0",
    "7.18.3", "7.18.0", "7.17.0", "7.16.2", "7.16.0", "7.15.0", "7.14.0", "7.13.4",
    "7.13.0", "7.12.0", "7.11.1", "7.11.0", "7.10.0", "7.9.0",  "7.8.2",  "7.8.0",
    "7.7.0",  "7.6.0",  "7.5.1",  "7.5.0",  "7.4.0",  "7.3.0"};
// Popularity rank of each version above: a few recent and a few long-lived ones lead.
const std::array<int, 30> kVersionRank = {4,  1,  6,  3,  0,  8,  2,  9,  12, 5,
                                          7,  14, 10, 11, 13, 16, 15, 18, 20, 17,
                                          19, 22, 21, 24, 23, 25, 26, 27, 28, 29};

struct Vendor {
  const char* name;
  const char* version;
};
const std::array<Vendor, 5> kDatabases = {{{"h2", "2.1.214 (2022-06-13)"},
                                           {"postgres", "15.4"},
                                           {"mysql", "8.0.35"},
                                           {"mariadb", "10.11.6-MariaDB"},
                                           {"oracle", "19.0.0.0.0"}}};
const std::array<double, 5> kDatabaseWeights = {0.30, 0.30, 0.15, 0.12, 0.13};
const std::array<Vendor, 4> kServers = {{{"Apache Tomcat", "Apache Tomcat/10.1.16"},
                                         {"Wildfly", "WildFly Full 26.1.3.Final"},
                                         {"JBoss EAP", "JBoss EAP 7.4.0.GA"},
                                         {"IBM WebSphere Liberty", "23.0.0.11"}}};
// The last weight: no application-server section (an embedded engine).
const std::array<double, 5> kServerWeights = {0.45, 0.22, 0.10, 0.05, 0.18};
const std::array<Vendor, 6> kJdks = {{{"Eclipse Adoptium", "17.0.9"},
                                      {"Oracle Corporation", "11.0.21"},
                                      {"Amazon.com Inc.", "17.0.9"},
                                      {"Azul Systems, Inc.", "21.0.1"},
                                      {"Red Hat, Inc.", "11.0.21"},
                                      {"Oracle Corporation", "1.8.0_392"}}};
const std::array<double, 6> kJdkWeights = {0.32, 0.20, 0.15, 0.12, 0.11, 0.10};
const std::array<const char*, 4> kIntegrations = {"spring-boot-starter", "camunda-bpm-run",
                                                  "wildfly-integration", "camunda-ejb-service"};
const std::array<double, 4> kIntegrationShares = {0.45, 0.30, 0.10, 0.05};
const std::array<const char*, 4> kWebapps = {"cockpit", "admin", "tasklist", "welcome"};
const std::array<double, 4> kWebappShares = {0.70, 0.60, 0.55, 0.30};
const std::array<const char*, 6> kCommands = {"StartProcessInstanceCmd",
                                              "FetchExternalTasksCmd",
                                              "CompleteTaskCmd",
                                              "CorrelateMessageCmd",
                                              "DeployCmd",
                                              "EvaluateDecisionCmd"};
const std::array<const char*, 5> kMetrics = {
    "root-process-instance-start", "activity-instance-start", "executed-decision-instances",
    "executed-decision-elements", "unique-task-workers"};

/// What one installation is and sends: a pure function of (seed, index).
struct Installation {
  std::string id;
  std::string ipHash;
  bool initialOnly = false;
  bool initiallyEnabled = false;  // the initial report's telemetry-enabled
  bool enterprise = false;
  std::size_t version = 0;          // index into kVersions
  std::size_t upgradedVersion = 0;  // from report `upgradeAt` on
  int upgradeAt = 1 << 30;
  std::size_t database = 0, server = 0, jdk = 0;
  std::vector<const char*> integrations, webapps;
  std::vector<std::int64_t> times;  // received_at of each report, oldest first

  Installation(std::uint64_t seed, std::uint64_t index, int reportsPerInstallation,
               std::int64_t now) {
    Random random(mix(seed ^ mix(index)));
    char uuid[37];
    const std::uint64_t a = random.next(), b = random.next();
    std::snprintf(uuid, sizeof uuid, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                  static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                  static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                  static_cast<unsigned long long>(b & 0xffffffffffffULL));
    id = uuid;
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(random.next()));
    ipHash = std::string(hash) + hash + hash + hash;  // as long as an HMAC-SHA256 in hex

    initialOnly = random.chance(0.18);
    initiallyEnabled = initialOnly ? random.chance(0.15) : random.chance(0.7);
    enterprise = random.chance(0.22);
    // Zipf-like popularity over the 30 versions.
    std::array<double, 30> weights{};
    for (std::size_t i = 0; i < weights.size(); ++i) {
      weights[i] = 1.0 / std::pow(kVersionRank[i] + 1.0, 1.1);
    }
    version = random.pick(weights);
    database = random.pick(kDatabaseWeights);
    server = random.pick(kServerWeights);
    jdk = random.pick(kJdkWeights);
    for (std::size_t i = 0; i < kIntegrations.size(); ++i) {
      if (random.chance(kIntegrationShares[i])) integrations.push_back(kIntegrations[i]);
    }
    for (std::size_t i = 0; i < kWebapps.size(); ++i) {
      if (random.chance(kWebappShares[i])) webapps.push_back(kWebapps[i]);
    }

    // Active from a first day to a last one within the 90 days, reports spread between.
    const int count = initialOnly ? 1 : reportsPerInstallation;
    const std::int64_t first = random.below(kDays);
    const std::int64_t last = random.chance(0.6) ? kDays - 1 : first + random.below(kDays - first);
    for (int i = 0; i < count; ++i) {
      const std::int64_t day = first + (count > 1 ? (last - first) * i / (count - 1) : 0);
      times.push_back(now - (kDays - 1 - day) * kDay - random.below(kDay));
    }
    std::sort(times.begin(), times.end());
    if (count > 2 && random.chance(0.15)) {
      upgradeAt = 1 + static_cast<int>(random.below(count - 1));
      upgradedVersion = version - std::min<std::size_t>(version, 1 + random.below(3));
    } else {
      upgradedVersion = version;
    }
  }

  std::string json(int number, std::uint64_t seed) const {
    const char* productVersion = kVersions[number >= upgradeAt ? upgradedVersion : version];
    std::string out = R"({"installation":")" + id +
                      R"(","product":{"name":"Camunda BPM Runtime","version":")" + productVersion +
                      R"(","edition":")" + (enterprise ? "enterprise" : "community") +
                      R"(","internals":{)";
    if (number == 0) {
      return out + R"("telemetry-enabled":)" + (initiallyEnabled ? "true" : "false") + "}}}";
    }
    Random random(mix(seed ^ mix(times[static_cast<std::size_t>(number)])));
    const auto vendor = [](const char* section, const Vendor& v) {
      return std::string("\"") + section + R"(":{"vendor":")" + v.name + R"(","version":")" +
             v.version + "\"},";
    };
    out += vendor("database", kDatabases[database]);
    if (server < kServers.size()) out += vendor("application-server", kServers[server]);
    out += std::string(R"("jdk":{"version":")") + kJdks[jdk].version + R"(","vendor":")" +
           kJdks[jdk].name + "\"},";
    out += R"("commands":{)";
    for (std::size_t i = 0; i < kCommands.size(); ++i) {
      out += std::string(i ? "," : "") + "\"" + kCommands[i] + R"(":{"count":)" +
             std::to_string(random.below(5000)) + "}";
    }
    out += R"(},"metrics":{)";
    for (std::size_t i = 0; i < kMetrics.size(); ++i) {
      out += std::string(i ? "," : "") + "\"" + kMetrics[i] + R"(":{"count":)" +
             std::to_string(random.below(100000)) + "}";
    }
    out += "}";
    const auto list = [](const char* name, const std::vector<const char*>& items) {
      std::string text = std::string(",\"") + name + "\":[";
      for (std::size_t i = 0; i < items.size(); ++i) {
        text += std::string(i ? "," : "") + "\"" + items[i] + "\"";
      }
      return text + "]";
    };
    if (!integrations.empty()) out += list("camunda-integration", integrations);
    if (enterprise) {
      out += R"(,"license-key":{"customer":"customer name","type":"UNIFIED",)"
             R"("valid-until":"2027-09-30","unlimited":false,"features":{"camundaBPM":"true"},)"
             R"("raw":"customer=customer name;expiryDate=2027-09-30;camundaBPM=true"})";
    }
    out += list("webapps", webapps);
    return out + "}}}";
  }

  // An Idempotency-Key per report, as the host sends.
  std::string key(int number, std::uint64_t seed) const {
    const std::uint64_t k = mix(seed ^ mix(times[static_cast<std::size_t>(number)]) ^ mix(number));
    char text[37];
    std::snprintf(text, sizeof text, "%s-%04x-4000-8000-%012llx", id.substr(0, 8).c_str(),
                  static_cast<unsigned>(number), static_cast<unsigned long long>(k >> 16));
    return text;
  }
};

/// One report to generate: which installation, which of its reports, when.
struct Slot {
  std::int64_t at;
  std::uint32_t installation;
  std::uint16_t number;
};

/// At most two batches queued at the store: one committing, one ready behind it.
class InFlight {
 public:
  void acquire() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return pending_ < 2; });
    ++pending_;
  }
  void release(const std::vector<StoreOutcome>& outcomes, std::exception_ptr failure) {
    {
      std::lock_guard lock(mutex_);
      --pending_;
      if (failure && !failure_) failure_ = failure;
      for (auto outcome : outcomes) {
        (outcome == StoreOutcome::stored ? stored_ : notStored_)++;
      }
    }
    changed_.notify_all();
  }
  void drain() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return pending_ == 0; });
    if (failure_) std::rethrow_exception(failure_);
  }
  std::int64_t stored() {
    std::lock_guard lock(mutex_);
    return stored_;
  }
  std::int64_t notStored() {
    std::lock_guard lock(mutex_);
    return notStored_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int pending_ = 0;
  std::int64_t stored_ = 0;
  std::int64_t notStored_ = 0;
  std::exception_ptr failure_;
};

int fill(const std::string& location, std::uint32_t count, int reportsPerInstallation,
         std::uint64_t seed) {
  using Clock = std::chrono::steady_clock;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const auto validator = ReportValidator::fromFile(TELEMETRY_REPORT_SCHEMA);

  // Every report's slot, in the order reports arrive: installations report side by side.
  std::vector<Slot> slots;
  std::int64_t initialOnly = 0, optedIn = 0;
  for (std::uint32_t i = 0; i < count; ++i) {
    const Installation installation(seed, i, reportsPerInstallation, now);
    initialOnly += installation.initialOnly;
    optedIn += !installation.initialOnly || installation.initiallyEnabled;
    for (std::size_t n = 0; n < installation.times.size(); ++n) {
      slots.push_back({installation.times[n], i, static_cast<std::uint16_t>(n)});
    }
  }
  std::stable_sort(slots.begin(), slots.end(),
                   [](const Slot& a, const Slot& b) { return a.at < b.at; });
  std::cerr << "fill: " << count << " installations, " << slots.size() << " reports into "
            << (location.rfind("postgresql:", 0) == 0 ? "PostgreSQL" : location) << "\n";

  ReportStore::Options options;
  options.location = location;
  ReportStore store(options);
  InFlight inFlight;
  const auto started = Clock::now();
  auto lastProgress = started;
  for (std::size_t begin = 0; begin < slots.size(); begin += kBatch) {
    const std::size_t end = std::min(slots.size(), begin + kBatch);
    std::vector<ReceivedReport> batch;
    batch.reserve(end - begin);
    for (std::size_t s = begin; s < end; ++s) {
      // Rebuilt per report: cheaper than keeping a million profiles in memory.
      const Installation installation(seed, slots[s].installation, reportsPerInstallation, now);
      const std::string json = installation.json(slots[s].number, seed);
      const ReportDocument document(json);
      if (auto error = validator.validate(document.root())) {
        throw std::logic_error("a generated report breaks the schema at '" + error->pointer +
                               "': " + error->message + "\n" + json);
      }
      batch.push_back(ReceivedReport::fromDocument(document.root(), installation.ipHash,
                                                   installation.key(slots[s].number, seed),
                                                   slots[s].at));
    }
    inFlight.acquire();
    store.submitAll(std::move(batch),
                    [&inFlight](std::vector<StoreOutcome> outcomes, std::exception_ptr failure) {
                      inFlight.release(outcomes, failure);
                    });
    const auto at = Clock::now();
    if (at - lastProgress >= std::chrono::seconds(10)) {
      lastProgress = at;
      const auto done = static_cast<double>(inFlight.stored() + inFlight.notStored());
      const double total = static_cast<double>(slots.size());
      const double rate = done / std::chrono::duration<double>(at - started).count();
      std::fprintf(stderr,
                   "fill: %.0f of %.0f reports stored (%.0f%%), %.0f/s, about %.0f s left\n", done,
                   total, 100.0 * done / total, rate, rate > 0 ? (total - done) / rate : 0.0);
    }
  }
  inFlight.drain();
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::printf(
      "{\"installations\": %u, \"reports\": %zu, \"initial_only\": %lld, \"opted_in\": %lld,"
      " \"stored\": %lld, \"not_stored\": %lld, \"seconds\": %.2f, \"reports_per_second\": %.1f}\n",
      count, slots.size(), static_cast<long long>(initialOnly), static_cast<long long>(optedIn),
      static_cast<long long>(inFlight.stored()), static_cast<long long>(inFlight.notStored()),
      seconds, static_cast<double>(slots.size()) / seconds);
  return inFlight.notStored() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::cerr << "usage: bench-dashboard-fill STORE INSTALLATIONS REPORTS [SEED]\n";
    return 2;
  }
  try {
    const auto count = std::stoul(argv[2]);
    const int reports = std::stoi(argv[3]);
    if (count == 0 || count > 50'000'000 || reports < 1 || reports > 1000) {
      std::cerr << "bench-dashboard-fill: INSTALLATIONS 1 to 50,000,000, REPORTS 1 to 1000\n";
      return 2;
    }
    const std::uint64_t seed = argc == 5 ? std::stoull(argv[4]) : 19;
    return fill(argv[1], static_cast<std::uint32_t>(count), reports, seed);
  } catch (const std::exception& e) {
    std::cerr << "bench-dashboard-fill: " << e.what() << "\n";
    return 1;
  }
}
