# bench-dashboard-fill: fills a collector store for `scripts/bench dashboard`. Included from
# bench/ and, for the smoke test, from tests/bench/, whichever the build has.
add_executable(bench-dashboard-fill ${CMAKE_CURRENT_LIST_DIR}/dashboard_fill.cpp)
target_link_libraries(bench-dashboard-fill PRIVATE Telemetry::collector_core)
target_compile_definitions(bench-dashboard-fill PRIVATE
  TELEMETRY_REPORT_SCHEMA="${PROJECT_SOURCE_DIR}/config/report.schema.json")
