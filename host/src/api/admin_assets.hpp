// The admin page's files, compiled into the host from host/src/api/admin/ so it serves
// them without files to install or find.
#pragma once

#include <string_view>

namespace telemetry::api {

extern const std::string_view kAdminHtml;
extern const std::string_view kAdminScript;

}  // namespace telemetry::api
