// The data dictionary's entries for the {"vendor", "version"} sections, shared by every
// plugin that fills one (a probe class says `static constexpr const auto& kFields = ...`).
#pragma once

#include <telemetry/plugin/field_doc.hpp>

namespace telemetry::plugins {

inline constexpr plugin::FieldDoc kDatabaseFields[] = {
    {"", "The database the product keeps its data in: vendor and version.",
     "To know which databases the product runs on, so releases are tested against them."},
    {"/vendor", "The database's vendor: h2, postgres, mysql or mariadb.",
     "To know which databases to support and test releases against."},
    {"/version",
     "The database server's own version string, e.g. 16.4, 8.0.36 or, for H2, "
     "2.1.214 (2022-06-13).",
     "To know which database versions are still in use before support for one ends."},
};

inline constexpr plugin::FieldDoc kApplicationServerFields[] = {
    {"", "The application server the product runs in: vendor and version.",
     "To know which application servers the product runs in, so releases are tested in them."},
    {"/vendor",
     "The server's vendor as its server info names it, e.g. Apache Tomcat, Jetty, WildFly, "
     "WebLogic Server.",
     "To know which application servers to support and test releases in."},
    {"/version", "The server's full version text, e.g. Apache Tomcat/10.1.60.",
     "To know which server versions are still in use before support for one ends."},
};

}  // namespace telemetry::plugins
