// Probe "mysql": vendor (mysql or mariadb) and version of the database behind a mysql:// URL.
#include <telemetry/plugin/plugin.hpp>

#include <algorithm>
#include <cctype>

#include "mysql_connection.hpp"
#include "telemetry/plugins/collect_guard.hpp"
#include "telemetry/plugins/db_settings.hpp"
#include "telemetry/plugins/vendor_version.hpp"
#include "telemetry/plugins/vendor_version_fields.hpp"

namespace telemetry::plugins::mysql {
namespace {

bool mentionsMariaDb(const std::optional<std::string>& text) {
  if (!text) return false;
  std::string lower = *text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.find("mariadb") != std::string::npos;
}

class MysqlProbe final : public plugin::Probe {
 public:
  static constexpr const auto& kFields = kDatabaseFields;

  plugin::Result collect(const plugin::Context& context) override {
    return collectGuarded([&] {
      auto settings = DbSettings::read("mysql", context.settings(), {"mysql", "mariadb"}, 3306);
      MysqlConnection connection(settings.url, settings.connectBudget(context),
                                 context.remaining());
      auto row = connection.queryRow("SELECT VERSION(), @@version_comment");
      if (row.size() < 2 || !row[0]) throw MysqlError("SELECT VERSION() returned no value");
      // Debian's MariaDB says "Debian 12" in version_comment, so VERSION() is checked too;
      // the version is kept whole ("10.11.6-MariaDB-0+deb12u1"), as the server reports it.
      const bool mariadb = mentionsMariaDb(row[0]) || mentionsMariaDb(row[1]);
      VendorVersion section{mariadb ? "mariadb" : "mysql", *row[0]};
      return plugin::Result::value(section.toJson());
    });
  }
};

}  // namespace
}  // namespace telemetry::plugins::mysql

TELEMETRY_PLUGIN(telemetry::plugins::mysql::MysqlProbe, "mysql", "1.0.0",
                 "/product/internals/database",
                 "database vendor and version over the MySQL protocol (MySQL, MariaDB)",
                 telemetry::plugin::Need::network)
