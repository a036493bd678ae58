// The summaries equal a recomputation from the reports after random sequences of inserts,
// duplicates, deletions, `forget`, retention passes and whole-day expiry, on SQLite and
// PostgreSQL. The recomputation below is written from the definitions in docs/collector.md
// ("Summaries"), not with the production rebuild.
#include <Poco/Data/RecordSet.h>
#include <Poco/Data/Statement.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "report/list_column.hpp"
#include "sql/poco_sql_runner.hpp"
#include "store/installation_eraser.hpp"
#include "store/report_store.hpp"
#include "summary/summary_rebuilder.hpp"
#include "summary/summary_writer.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/storage/write_transaction.hpp"
#include "telemetry/test/store_location.hpp"
#include "test_fixtures.hpp"

namespace telemetry::collector {
namespace {

using Poco::Data::Keywords::now;
using test::kDay;

std::int64_t nowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string testName() {
  std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  std::replace(name.begin(), name.end(), '/', '-');
  return name;
}

const std::vector<std::string> kInstallations = {
    "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3", "b647de4d-e557-455a-a64f-feaecd55f53c",
    "0b8f0e64-4d0e-4a7c-9d53-2f4f8e2a5b11", "5d1c3c2e-0f3a-4b7e-9a55-1c2d3e4f5a6b",
    "e2f1a0b9-8c7d-4e6f-a5b4-c3d2e1f0a9b8"};

// Every row of a table, each as "col|col|...", sorted.
using Table = std::vector<std::string>;
struct Summaries {
  Table installations, currentCounts, dailyActivity, dailyCounts, dailyReports;
  // Summed over versions and editions.
  Table currentTotals, dailyTotals, dailyReportTotals;
  bool operator==(const Summaries&) const = default;
};

std::string joined(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) out += (i ? "|" : "") + fields[i];
  return out;
}

Table tableRows(Poco::Data::Session& session, const std::string& sql) {
  Poco::Data::Statement select(session);
  select << sql, now;
  Poco::Data::RecordSet rows(select);
  Table out;
  for (std::size_t r = 0; r < rows.rowCount(); ++r) {
    std::vector<std::string> fields;
    for (std::size_t c = 0; c < rows.columnCount(); ++c) {
      fields.push_back(rows.value(c, r).convert<std::string>());
    }
    out.push_back(joined(fields));
  }
  std::sort(out.begin(), out.end());
  return out;
}

Summaries stored(Poco::Data::Session& session) {
  return {
      tableRows(session,
                "SELECT installation, version, edition, opted_in, first_seen, last_seen, has_full,"
                " last_full_at, database_vendor, app_server, jdk, integrations, webapps"
                " FROM installations"),
      tableRows(session,
                "SELECT version, edition, dimension, value, installations FROM current_counts"),
      tableRows(session,
                "SELECT day, installation, version, edition, database_vendor, opted_in,"
                " first_day, last_at FROM daily_activity"),
      tableRows(session,
                "SELECT day, version, edition, dimension, value, installations FROM daily_counts"),
      tableRows(session, "SELECT day, version, edition, reports FROM daily_reports"),
      tableRows(session, "SELECT dimension, value, installations FROM current_totals"),
      tableRows(session, "SELECT day, dimension, value, installations FROM daily_totals"),
      tableRows(session, "SELECT day, reports FROM daily_report_totals"),
  };
}

// The definitions, applied to every kept report.
Summaries recomputed(Poco::Data::Session& session) {
  struct Report {
    std::string installation, kind, version, edition, database, server, jdk, integrations, webapps;
    std::int64_t at = 0, enabled = 0;
  };
  Poco::Data::Statement select(session);
  select << "SELECT installation, kind, product_version, edition, database_vendor,"
            " app_server_vendor, jdk, integrations, webapps, received_at, telemetry_enabled"
            " FROM reports ORDER BY received_at, id",
      now;
  Poco::Data::RecordSet rows(select);
  std::vector<Report> reports;
  for (std::size_t r = 0; r < rows.rowCount(); ++r) {
    Report report;
    report.installation = rows.value(0, r).convert<std::string>();
    report.kind = rows.value(1, r).convert<std::string>();
    report.version = rows.value(2, r).convert<std::string>();
    report.edition = rows.value(3, r).convert<std::string>();
    report.database = rows.value(4, r).convert<std::string>();
    report.server = rows.value(5, r).convert<std::string>();
    report.jdk = rows.value(6, r).convert<std::string>();
    report.integrations = rows.value(7, r).convert<std::string>();
    report.webapps = rows.value(8, r).convert<std::string>();
    report.at = rows.value(9, r).convert<std::int64_t>();
    report.enabled = rows.value(10, r).convert<std::int64_t>();
    reports.push_back(report);
  }
  // In order of (received_at, id): the last one seen is the latest.
  std::map<std::string, const Report*> latest, latestFull, first;
  std::map<std::pair<std::int64_t, std::string>, const Report*> latestOfDay;
  std::map<std::string, std::int64_t> reportsPerDay, reportTotals;
  for (const auto& report : reports) {
    latest[report.installation] = &report;
    if (report.kind == "full") latestFull[report.installation] = &report;
    first.emplace(report.installation, &report);
    latestOfDay[{report.at / kDay, report.installation}] = &report;
    ++reportsPerDay[joined({std::to_string(report.at / kDay), report.version, report.edition})];
    ++reportTotals[std::to_string(report.at / kDay)];
  }
  auto opted = [](const Report& r) { return r.kind == "full" || r.enabled != 0; };
  Summaries out;
  std::map<std::string, std::int64_t> current, daily, currentTotals, dailyTotals;
  for (const auto& [id, last] : latest) {
    const Report* full = latestFull.count(id) ? latestFull[id] : nullptr;
    out.installations.push_back(joined(
        {id, last->version, last->edition, opted(*last) ? "1" : "0", std::to_string(first[id]->at),
         std::to_string(last->at), full ? "1" : "0", std::to_string(full ? full->at : 0),
         full ? full->database : "", full ? full->server : "", full ? full->jdk : "",
         full ? full->integrations : "", full ? full->webapps : ""}));
    auto count = [&](const std::string& dimension, const std::string& value) {
      ++current[joined({last->version, last->edition, dimension, value})];
      ++currentTotals[joined({dimension, value})];
    };
    count("installations", "");
    ++currentTotals[joined({"version", last->version})];
    ++currentTotals[joined({"edition", last->edition})];
    if (opted(*last)) count("opted-in", "");
    if (full) {
      count("full", "");
      if (!full->database.empty()) count("database", full->database);
      if (!full->server.empty()) count("app-server", full->server);
      if (!full->jdk.empty()) count("jdk", full->jdk);
      const auto integrations = ListColumn::split(full->integrations);
      for (const auto& name : std::set<std::string>(integrations.begin(), integrations.end()))
        count("integration", name);
      const auto webapps = ListColumn::split(full->webapps);
      for (const auto& name : std::set<std::string>(webapps.begin(), webapps.end()))
        count("webapp", name);
    }
  }
  for (const auto& [key, report] : latestOfDay) {
    const auto& [day, id] = key;
    const bool firstDay = first[id]->at / kDay == day;
    out.dailyActivity.push_back(
        joined({std::to_string(day), id, report->version, report->edition, report->database,
                opted(*report) ? "1" : "0", firstDay ? "1" : "0", std::to_string(report->at)}));
    auto count = [&](const std::string& dimension, const std::string& value) {
      ++daily[joined({std::to_string(day), report->version, report->edition, dimension, value})];
      ++dailyTotals[joined({std::to_string(day), dimension, value})];
    };
    count("active", "");
    ++dailyTotals[joined({std::to_string(day), "version", report->version})];
    if (opted(*report)) count("opted-in", "");
    if (firstDay) count("new", "");
    if (!report->database.empty()) count("database", report->database);
  }
  for (const auto& [key, n] : current) out.currentCounts.push_back(key + "|" + std::to_string(n));
  for (const auto& [key, n] : daily) out.dailyCounts.push_back(key + "|" + std::to_string(n));
  for (const auto& [key, n] : reportsPerDay) {
    out.dailyReports.push_back(key + "|" + std::to_string(n));
  }
  for (const auto& [key, n] : currentTotals) {
    out.currentTotals.push_back(key + "|" + std::to_string(n));
  }
  for (const auto& [key, n] : dailyTotals) out.dailyTotals.push_back(key + "|" + std::to_string(n));
  for (const auto& [key, n] : reportTotals) {
    out.dailyReportTotals.push_back(key + "|" + std::to_string(n));
  }
  for (auto* table :
       {&out.installations, &out.currentCounts, &out.dailyActivity, &out.dailyCounts,
        &out.dailyReports, &out.currentTotals, &out.dailyTotals, &out.dailyReportTotals}) {
    std::sort(table->begin(), table->end());
  }
  return out;
}

// Table by table, so that a failure shows the rows that differ.
::testing::AssertionResult same(const Summaries& actual, const Summaries& expected) {
  const std::pair<const char*, Table Summaries::*> tables[] = {
      {"installations", &Summaries::installations},
      {"current_counts", &Summaries::currentCounts},
      {"daily_activity", &Summaries::dailyActivity},
      {"daily_counts", &Summaries::dailyCounts},
      {"daily_reports", &Summaries::dailyReports},
      {"current_totals", &Summaries::currentTotals},
      {"daily_totals", &Summaries::dailyTotals},
      {"daily_report_totals", &Summaries::dailyReportTotals}};
  for (const auto& [name, table] : tables) {
    const Table& a = actual.*table;
    const Table& e = expected.*table;
    if (a == e) continue;
    auto failure = ::testing::AssertionFailure() << name << " differs; only stored:";
    for (const auto& row : a) {
      if (!std::binary_search(e.begin(), e.end(), row)) failure << "\n  " << row;
    }
    failure << "\nonly recomputed:";
    for (const auto& row : e) {
      if (!std::binary_search(a.begin(), a.end(), row)) failure << "\n  " << row;
    }
    return failure;
  }
  return ::testing::AssertionSuccess();
}

// A report of one of a few versions, editions, databases and webapp lists.
ReceivedReport randomReport(std::mt19937& random, std::int64_t at, int serial) {
  auto pick = [&](const std::vector<std::string>& values) {
    return values[std::uniform_int_distribution<std::size_t>(0, values.size() - 1)(random)];
  };
  const std::string installation = pick(kInstallations);
  const std::string version = pick({"7.14.0", "7.15.0", "7.16.0"});
  const std::string edition = pick({"community", "enterprise"});
  std::string json;
  if (std::uniform_int_distribution<int>(0, 5)(random) == 0) {
    json = R"({"installation":")" + installation +
           R"(","product":{"name":"Camunda BPM Runtime",)"
           R"("version":")" +
           version + R"(","edition":")" + edition + R"(","internals":{"telemetry-enabled":)" +
           pick({"true", "false"}) + "}}}";
  } else {
    const std::string database = pick({"", "h2", "postgres", "mysql"});
    json = R"({"installation":")" + installation +
           R"(","product":{"name":"Camunda BPM Runtime",)"
           R"("version":")" +
           version + R"(","edition":")" + edition + R"(","internals":{)";
    if (!database.empty()) json += R"("database":{"vendor":")" + database + R"(","version":"1"},)";
    json += pick({"", R"("application-server":{"vendor":"tomcat","version":"9"},)",
                  R"("application-server":{"vendor":"wildfly","version":"26"},)"});
    json += pick({"", R"("jdk":{"vendor":"Oracle","version":"17"},)"});
    json += pick({"", R"("camunda-integration":["spring-boot-starter"],)",
                  R"("camunda-integration":["camunda-bpm-run","spring-boot-starter"],)"});
    json += R"("commands":{},"metrics":{},"webapps":)" +
            pick({"[]", R"(["cockpit"])", R"(["cockpit","admin","cockpit"])", R"(["a,b"])"}) +
            "}}}";
  }
  return ReceivedReport::fromDocument(test::parse(json).root(), "ip-" + std::to_string(serial),
                                      "key-" + std::to_string(serial), at);
}

class SummaryWriterTest : public ::testing::TestWithParam<std::string> {
 protected:
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("summary-writer-test-" + std::to_string(::getpid()) + "-" + testName());
  std::unique_ptr<telemetry::test::StoreLocation> location;
  std::unique_ptr<ReportStore> store;
  storage::Database reader;

  void SetUp() override {
    std::filesystem::create_directories(dir);
    location = std::make_unique<telemetry::test::StoreLocation>(GetParam(), dir);
    open();
    reader = storage::openDatabase(location->location());
  }
  void TearDown() override {
    store.reset();
    reader.session.reset();
    location.reset();
    std::filesystem::remove_all(dir);
  }
  void open(std::chrono::seconds retention = std::chrono::seconds(0)) {
    store.reset();
    ReportStore::Options options;
    options.location = location->location();
    options.maxBatch = 4;
    options.retention = retention;
    options.retentionChunk = 2;  // chunks that split days and installations
    store = std::make_unique<ReportStore>(options);
  }
  std::int64_t reportsBefore(std::int64_t before) {
    Poco::Int64 count = 0;
    *reader.session << reader.dialect.sql("SELECT COUNT(*) FROM reports WHERE received_at < ?"),
        Poco::Data::Keywords::bind(static_cast<Poco::Int64>(before)),
        Poco::Data::Keywords::into(count), now;
    return count;
  }
  // A retention pass of `days` as the store runs it at start, waited for.
  void retentionPass(int days) {
    open(std::chrono::hours(24 * days));
    for (int i = 0; i < 6000 && reportsBefore(nowSeconds() - days * kDay) > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    open();  // closed: its last chunk is committed
  }
  // The summaries' side of dropping whole days (a partition), beside the store's writer.
  void expireWholeDays(std::int64_t before) {
    auto& session = *reader.session;
    storage::WriteTransaction transaction(session, reader.dialect);
    PocoSqlRunner runner(session, reader.dialect);
    SummaryWriter(runner).expire(before);
    session << reader.dialect.sql("DELETE FROM reports WHERE received_at < ?"),
        Poco::Data::Keywords::bind(static_cast<Poco::Int64>(before)), now;
    transaction.commit();
  }
  /// A random seed, or TELEMETRY_TEST_SEED's to replay a failure.
  static unsigned roundSeed() {
    const char* replay = std::getenv("TELEMETRY_TEST_SEED");
    return replay ? static_cast<unsigned>(std::stoul(replay))
                  : static_cast<unsigned>(std::random_device{}());
  }
  /// An empty store again, for the next round.
  void startOver() {
    store.reset();
    reader.session.reset();
    location.reset();
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    location = std::make_unique<telemetry::test::StoreLocation>(GetParam(), dir);
    open();
    reader = storage::openDatabase(location->location());
  }
  void rebuild() {
    auto& session = *reader.session;
    storage::WriteTransaction transaction(session, reader.dialect);
    PocoSqlRunner runner(session, reader.dialect);
    SummaryRebuilder::rebuild(runner);
    transaction.commit();
  }
};

TEST_P(SummaryWriterTest, EqualARecomputationAfterRandomSequences) {
  const int seeds = GetParam() == "sqlite" ? 4 : 2;
  for (int round = 0; round < seeds; ++round) {
    const unsigned seed = roundSeed();
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 random(seed);
    const std::int64_t today = nowSeconds() / kDay;
    std::vector<ReceivedReport> sent;
    for (int step = 0; step < 45; ++step) {
      const int what = std::uniform_int_distribution<int>(0, 99)(random);
      std::string done;
      if (what < 60 || sent.empty()) {
        // Whole hours past midnight, so no report sits on a retention pass's cutoff.
        const std::int64_t at = (today - std::uniform_int_distribution<int>(0, 12)(random)) * kDay +
                                std::uniform_int_distribution<int>(1, 23)(random) * 3600;
        const int serial = round * 1000 + step;
        sent.push_back(randomReport(random, std::min(at, nowSeconds()), serial));
        store->submit(sent.back()).get();
        done = "insert";
      } else if (what < 70) {
        store->submit(sent[std::uniform_int_distribution<std::size_t>(0, sent.size() - 1)(random)])
            .get();
        done = "duplicate";
      } else if (what < 76) {
        store
            ->submitDeletion(kInstallations[std::uniform_int_distribution<std::size_t>(
                                 0, kInstallations.size() - 1)(random)],
                             nowSeconds())
            .get();
        done = "erase";
      } else if (what < 80) {
        InstallationEraser(location->location())
            .erase(kInstallations[std::uniform_int_distribution<std::size_t>(
                       0, kInstallations.size() - 1)(random)],
                   nowSeconds());
        done = "forget";
      } else if (what < 92) {
        const int days = std::uniform_int_distribution<int>(2, 12)(random);
        retentionPass(days);
        done = "retention " + std::to_string(days) + "d";
      } else {
        const std::int64_t before =
            (today - std::uniform_int_distribution<int>(1, 12)(random)) * kDay;
        expireWholeDays(before);
        done = "expire before day " + std::to_string(before / kDay);
      }
      ASSERT_TRUE(store->writable(std::chrono::seconds(60)));
      ASSERT_TRUE(same(stored(*reader.session), recomputed(*reader.session)))
          << "after step " << step << " (" << done << ")";
    }
    const auto kept = stored(*reader.session);
    rebuild();
    ASSERT_TRUE(same(stored(*reader.session), kept)) << "rebuild-summaries yields the same tables";
    // The next round starts over: every installation forgotten for good would starve it.
    startOver();
  }
}

// The spool drain's batches (submitAll: on PostgreSQL the rows are read and written for the
// whole batch at once): several reports of one installation, at one time, late ones and
// repeats in one batch, with whole days expiring between batches.
TEST_P(SummaryWriterTest, EqualARecomputationAfterRandomDrainBatches) {
  const int seeds = GetParam() == "sqlite" ? 4 : 3;
  for (int round = 0; round < seeds; ++round) {
    const unsigned seed = roundSeed();
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 random(seed);
    const std::int64_t today = nowSeconds() / kDay;
    std::vector<ReceivedReport> sent;
    for (int step = 0; step < 12; ++step) {
      std::string done = "batch";
      if (step > 0 && std::uniform_int_distribution<int>(0, 9)(random) == 0) {
        const std::int64_t before =
            (today - std::uniform_int_distribution<int>(1, 12)(random)) * kDay;
        expireWholeDays(before);
        done = "expire before day " + std::to_string(before / kDay);
      } else {
        std::vector<ReceivedReport> batch;
        const int size = std::uniform_int_distribution<int>(1, 30)(random);
        for (int i = 0; i < size; ++i) {
          const int what = std::uniform_int_distribution<int>(0, 9)(random);
          if (what < 2 && !sent.empty()) {
            batch.push_back(
                sent[std::uniform_int_distribution<std::size_t>(0, sent.size() - 1)(random)]);
            continue;
          }
          std::int64_t at = (today - std::uniform_int_distribution<int>(0, 12)(random)) * kDay +
                            std::uniform_int_distribution<int>(1, 23)(random) * 3600;
          // The same second as the report before: the one stored last is the latest.
          if (what < 4 && !batch.empty()) at = batch.back().receivedAt;
          sent.push_back(
              randomReport(random, std::min(at, nowSeconds()), round * 1000 + step * 40 + i));
          batch.push_back(sent.back());
        }
        std::promise<void> committed;
        store->submitAll(batch,
                         [&committed](std::vector<StoreOutcome>, std::exception_ptr failure) {
                           if (failure) {
                             committed.set_exception(failure);
                           } else {
                             committed.set_value();
                           }
                         });
        committed.get_future().get();
      }
      ASSERT_TRUE(same(stored(*reader.session), recomputed(*reader.session)))
          << "after step " << step << " (" << done << ")";
    }
    startOver();
  }
}

// A store of schema version 3 (reports, no summaries) gets its summaries on start.
TEST_P(SummaryWriterTest, BuildsTheSummariesOfAnOlderStoreOnStart) {
  std::mt19937 random(7);
  const std::int64_t today = nowSeconds() / kDay;
  for (int i = 0; i < 30; ++i) {
    store->submit(randomReport(random, (today - i % 9) * kDay + 3600 * (i % 20), i)).get();
  }
  const auto expected = recomputed(*reader.session);
  ASSERT_FALSE(expected.installations.empty());
  store.reset();
  for (const char* table :
       {"installations", "current_counts", "daily_activity", "daily_counts", "daily_reports",
        "current_totals", "daily_totals", "daily_report_totals"}) {
    *reader.session << std::string("DROP TABLE ") + table, now;
  }
  // The summaries are migration 5; 4 partitions PostgreSQL's reports, which stay as they are.
  *reader.session << "DELETE FROM schema_migrations WHERE version > 4", now;
  open();
  EXPECT_TRUE(same(stored(*reader.session), expected));
}

// A store of schema version 5 (per-version summaries, no sums) gets its sums on start.
TEST_P(SummaryWriterTest, SumsTheSummariesOfAVersion5StoreOnStart) {
  std::mt19937 random(11);
  const std::int64_t today = nowSeconds() / kDay;
  for (int i = 0; i < 30; ++i) {
    store->submit(randomReport(random, (today - i % 9) * kDay + 3600 * (i % 20), i)).get();
  }
  const auto expected = recomputed(*reader.session);
  ASSERT_FALSE(expected.currentTotals.empty());
  ASSERT_FALSE(expected.dailyTotals.empty());
  store.reset();
  for (const char* table : {"current_totals", "daily_totals", "daily_report_totals"}) {
    *reader.session << std::string("DROP TABLE ") + table, now;
  }
  *reader.session << "DELETE FROM schema_migrations WHERE version > 5", now;
  open();
  EXPECT_TRUE(same(stored(*reader.session), expected));
}

// Counts wait in memory until the commit: a rolled-back transaction's must not reach the next.
TEST_P(SummaryWriterTest, ForgetsTheCountsOfARolledBackTransaction) {
  store.reset();
  std::mt19937 random(3);
  auto& session = *reader.session;
  PocoSqlRunner runner(session, reader.dialect);
  SummaryWriter writer(runner);
  {
    storage::WriteTransaction transaction(session, reader.dialect);
    writer.added(randomReport(random, nowSeconds(), 1));
  }  // rolled back
  writer.discard();
  {
    storage::WriteTransaction transaction(session, reader.dialect);
    writer.added(randomReport(random, nowSeconds(), 2));
    writer.flush();
    transaction.commit();
  }
  Poco::Int64 counted = 0;
  session << "SELECT CAST(SUM(installations) AS BIGINT) FROM current_counts"
             " WHERE dimension = 'installations'",
      Poco::Data::Keywords::into(counted), now;
  EXPECT_EQ(counted, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, SummaryWriterTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST(SummaryWriterExpireTest, RefusesACutoffInsideADay) {
  struct NoSql : SqlRunner {
    std::vector<SqlRow> query(std::string_view, const std::vector<SqlValue>&) override {
      return {};
    }
    void execute(std::string_view, const std::vector<SqlValue>&) override {}
  } runner;
  EXPECT_THROW(SummaryWriter(runner).expire(kDay * 100 + 1), std::invalid_argument);
}

}  // namespace
}  // namespace telemetry::collector
