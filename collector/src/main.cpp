// telemetry-collector: receives telemetry reports (see docs/collector.md).
#include <Poco/Exception.h>
#include <signal.h>
#include <sys/resource.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <vector>

#include "config/collector_config.hpp"
#include "config/collector_log.hpp"
#include "import/report_importer.hpp"
#include "server/collector_server.hpp"
#include "sql/poco_sql_runner.hpp"
#include "store/installation_eraser.hpp"
#include "store/report_store.hpp"
#include "store/store_schema.hpp"
#include "summary/summary_rebuilder.hpp"
#include "telemetry/storage/database.hpp"
#include "telemetry/storage/write_transaction.hpp"

using telemetry::collector::CollectorConfig;
using telemetry::collector::CollectorLog;
using telemetry::collector::CollectorServer;
using telemetry::collector::ConfigError;
using telemetry::collector::ImportSummary;
using telemetry::collector::InstallationEraser;
using telemetry::collector::PocoSqlRunner;
using telemetry::collector::ReportImporter;
using telemetry::collector::ReportStore;
using telemetry::collector::ReportValidator;
using telemetry::collector::StoreSchema;
using telemetry::collector::SummaryRebuilder;

namespace {

// `telemetry-collector forget ID`: exit 0 also when nothing was stored, saying so.
int forget(const std::string& configFile, const std::string& installation) {
  try {
    const auto config = CollectorConfig::fromFile(configFile);
    const auto at = std::chrono::duration_cast<std::chrono::seconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
    const auto deleted = InstallationEraser(config.store).erase(installation, at);
    if (deleted == 0) {
      std::cout << "no report of installation " << installation << " is stored\n";
    } else {
      std::cout << "deleted " << deleted << " report(s) of installation " << installation << "\n";
    }
    std::cout << "recorded as deleted: reports that still arrive from it are dropped\n";
    return 0;
  } catch (const ConfigError& e) {
    std::cerr << "telemetry-collector: " << e.what() << '\n';
    return 2;
  } catch (const Poco::Exception& e) {
    std::cerr << "telemetry-collector: cannot forget: " << e.displayText() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "telemetry-collector: cannot forget: " << e.what() << '\n';
    return 1;
  }
}

// `telemetry-collector rebuild-summaries`: the dashboard's summaries anew from the reports, in
// one transaction (the collectors' writers wait for it, then go on keeping them).
int rebuildSummaries(const std::string& configFile) {
  try {
    const auto config = CollectorConfig::fromFile(configFile);
    CollectorLog::setLevel(config.logLevel);
    if (!telemetry::storage::isPostgresUrl(config.store) &&
        !std::filesystem::exists(config.store)) {
      throw std::runtime_error("no store at " + config.store);
    }
    auto database = telemetry::storage::openDatabase(config.store);
    auto& session = *database.session;
    try {
      StoreSchema::requireKnownVersion(session);
    } catch (const Poco::Exception&) {
      throw std::runtime_error(telemetry::storage::redactedLocation(config.store) +
                               " is not a collector store (it has no schema_migrations table)");
    }
    StoreSchema::migrate(session, database.dialect);
    CollectorLog::get()->info("rebuilding the dashboard's summaries of {}",
                              telemetry::storage::redactedLocation(config.store));
    telemetry::storage::WriteTransaction transaction(session, database.dialect);
    PocoSqlRunner runner(session, database.dialect);
    SummaryRebuilder::rebuild(
        runner, [](const std::string& step) { CollectorLog::get()->info("summaries: {}", step); });
    transaction.commit();
    CollectorLog::get()->info("summaries rebuilt");
    return 0;
  } catch (const ConfigError& e) {
    std::cerr << "telemetry-collector: " << e.what() << '\n';
    return 2;
  } catch (const Poco::Exception& e) {
    std::cerr << "telemetry-collector: cannot rebuild the summaries: " << e.displayText() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "telemetry-collector: cannot rebuild the summaries: " << e.what() << '\n';
    return 1;
  }
}

// One line per refusal, then the file's totals.
void printSummary(const std::string& file, const ImportSummary& summary) {
  for (const auto& refusal : summary.refused) {
    std::cerr << "telemetry-collector: " << file;
    if (refusal.line != 0) std::cerr << ':' << refusal.line;
    std::cerr << ": refused: " << refusal.reason << '\n';
  }
  std::cout << file << ": " << summary.stored << " stored, " << summary.duplicates
            << " duplicate(s), " << summary.refused.size() << " refused";
  if (summary.deleted != 0) {
    std::cout << ", " << summary.deleted << " dropped (installation deleted on request)";
  }
  std::cout << '\n';
}

// `telemetry-collector import FILE...`: 0 when every report was stored or was a duplicate,
// 1 when a file could not be read, a report was refused or the store failed.
int import(const std::string& configFile, const std::vector<std::string>& files) {
  try {
    const auto config = CollectorConfig::fromFile(configFile);
    const auto schema =
        config.schemaFile.empty() ? CollectorServer::defaultSchemaFile() : config.schemaFile;
    const auto validator = ReportValidator::fromFile(schema);
    if (!std::filesystem::exists(config.store) &&
        !telemetry::storage::isPostgresUrl(config.store)) {
      throw std::runtime_error("no store at " + config.store);
    }
    ReportStore::Options options;
    options.location = config.store;
    options.dedupWindow = config.dedupWindow;
    ReportStore store(std::move(options));
    ReportImporter::Limits limits;
    limits.maxLine = config.maxBody + 1024;
    ReportImporter importer(store, validator, limits);
    bool clean = true;
    for (const auto& file : files) {
      std::ifstream in;
      if (file != "-") {
        in.open(file, std::ios::binary);
        if (!in) {
          std::cerr << "telemetry-collector: " << file << ": cannot be read\n";
          clean = false;
          continue;
        }
      }
      const auto summary = importer.import(file == "-" ? std::cin : in);
      printSummary(file, summary);
      clean = clean && summary.refused.empty();
    }
    return clean ? 0 : 1;
  } catch (const ConfigError& e) {
    std::cerr << "telemetry-collector: " << e.what() << '\n';
    return 2;
  } catch (const std::invalid_argument& e) {  // the schema
    std::cerr << "telemetry-collector: " << e.what() << '\n';
    return 2;
  } catch (const Poco::Exception& e) {
    std::cerr << "telemetry-collector: cannot import: " << e.displayText() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "telemetry-collector: cannot import: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"telemetry-collector: receives telemetry reports over HTTPS"};
  std::string configFile = "collector.yaml";
  app.add_option("-c,--config", configFile, "configuration file")->capture_default_str();
  app.set_version_flag("--version", std::string("telemetry-collector ") + TELEMETRY_VERSION);
  std::string installation;
  auto* forgetCommand = app.add_subcommand(
      "forget",
      "delete every stored report of one installation and drop its later reports, then exit "
      "(the collector may keep running)");
  // The report schema's pattern: anything else cannot be stored, so it is a typo.
  const CLI::Validator installationId(
      [](std::string& value) {
        static const std::regex uuid(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        return std::regex_match(value, uuid)
                   ? std::string()
                   : "'" + value +
                         "' is not an installation id (a lower-case UUID such as "
                         "8343cc7a-8ad1-42d4-97d2-43452c0bdfa3)";
      },
      "UUID");
  forgetCommand->add_option("installation", installation, "the reports' \"installation\" id")
      ->required()
      ->check(installationId);
  forgetCommand->fallthrough();  // --config may also follow the subcommand
  forgetCommand->footer(
      "Reads the store from --config (default collector.yaml). Exit codes: 0 done (also when "
      "nothing was stored), 1 the store cannot be opened or written, 2 a usage or "
      "configuration error.");
  std::vector<std::string> importFiles;
  auto* importCommand = app.add_subcommand(
      "import",
      "store the reports of files written by 'telemetry send --to FILE' (offline "
      "installations), then exit (the collector may keep running)");
  importCommand->add_option("files", importFiles, "the files ('-' for standard input)")->required();
  importCommand->fallthrough();
  importCommand->footer(
      "Each line is checked as POST /pings checks a report and stored without any IP hash; "
      "a file imported twice stores nothing twice. Exit codes: 0 every report stored or a "
      "duplicate, 1 a file unreadable, a report refused (named by file:line) or the store "
      "failing, 2 a usage or configuration error.");
  auto* rebuildCommand = app.add_subcommand(
      "rebuild-summaries",
      "build the dashboard's summary tables anew from the stored reports, in one transaction, "
      "then exit (the collector may keep running; its writes wait until this is done)");
  rebuildCommand->fallthrough();
  rebuildCommand->footer(
      "Progress goes to the log. Exit codes: 0 done, 1 the store cannot be opened or written, "
      "2 a usage or configuration error.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // --help and --version are not errors
  }
  if (*forgetCommand) return forget(configFile, installation);
  if (*importCommand) return import(configFile, importFiles);
  if (*rebuildCommand) return rebuildSummaries(configFile);

  // Blocked before any thread starts, so only sigwait below ever sees these signals.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // Every connection is a file descriptor; the usual soft limit of 1024 would cap the server
  // far below its 4096 connections. The hard limit is the operator's to set.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }

  try {
    auto config = CollectorConfig::fromFile(configFile);
    CollectorLog::setLevel(config.logLevel);
    CollectorServer server(std::move(config));
    server.start();
    int received = 0;
    sigwait(&signals, &received);
    CollectorLog::get()->info("stopping on {}", received == SIGTERM ? "SIGTERM" : "SIGINT");
    server.stop();
    return 0;
  } catch (const ConfigError& e) {
    CollectorLog::get()->error("{}", e.what());
    return 2;
  } catch (const Poco::Exception& e) {
    // Poco's what() is only the exception's class name; displayText() has the reason.
    CollectorLog::get()->error("cannot start: {}", e.displayText());
    return 1;
  } catch (const std::exception& e) {
    CollectorLog::get()->error("cannot start: {}", e.what());
    return 1;
  }
}
