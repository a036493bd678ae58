// Probe "postgresql": vendor and version of the database behind a postgresql:// URL. An H2
// server speaking the PostgreSQL protocol is reported as H2, with H2's own version.
#include <telemetry/plugin/plugin.hpp>

#include "pg_connection.hpp"
#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/db_settings.hpp"
#include "telemetry/plugins/vendor_version.hpp"
#include "telemetry/plugins/vendor_version_fields.hpp"

namespace telemetry::plugins::postgresql {
namespace {

// H2 answers version() with "PostgreSQL 8.2.23 server protocol using H2 2.1.214 (...)".
bool isH2(const std::string& versionText) { return versionText.find(" H2 ") != std::string::npos; }

// H2VERSION() lacks the build date the report shows ("2.1.214 (2022-06-13)"); H2 keeps the
// full form in INFORMATION_SCHEMA.SETTINGS as info.VERSION.
std::string h2Version(PgConnection& connection, PgConnection::Clock::time_point deadline) {
  auto shortVersion = connection.queryValue("SELECT H2VERSION()", deadline);
  if (!shortVersion) throw PgError("H2VERSION() returned no value");
  std::optional<std::string> fullVersion;
  try {
    fullVersion = connection.queryValue(
        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = "
        "'info.VERSION'",
        deadline);
  } catch (const PgError&) {
    // Older H2 releases lack the row or the column; the short version is still true.
  }
  return fullVersion && fullVersion->starts_with(*shortVersion) ? *fullVersion : *shortVersion;
}

class PostgresqlProbe final : public plugin::Probe {
 public:
  static constexpr const auto& kFields = kDatabaseFields;

  plugin::Result collect(const plugin::Context& context) override {
    return collectGuarded([&] {
      auto settings =
          DbSettings::read("postgresql", context.settings(), {"postgresql", "postgres"}, 5432);
      const auto deadline = context.deadline();
      PgConnection connection(settings.url,
                              PgConnection::Clock::now() + settings.connectBudget(context),
                              context.remaining());
      auto versionText = connection.queryValue("SELECT version()", deadline);
      VendorVersion section;
      if (versionText && isH2(*versionText)) {
        section = {"h2", h2Version(connection, deadline)};
      } else {
        auto serverVersion = connection.queryValue("SHOW server_version", deadline);
        if (!serverVersion) throw PgError("SHOW server_version returned no value");
        section = {"postgres", *serverVersion};
      }
      return plugin::Result::value(section.toJson());
    });
  }
};

}  // namespace
}  // namespace telemetry::plugins::postgresql

TELEMETRY_PLUGIN(telemetry::plugins::postgresql::PostgresqlProbe, "postgresql", "1.0.0",
                 "/product/internals/database",
                 "database vendor and version over the PostgreSQL protocol (PostgreSQL, H2)",
                 telemetry::plugin::Need::network)
