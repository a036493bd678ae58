# The report's sections (name, JSON pointer, type, order) as a C++ table generated from
# config/report.schema.json at build time, so the host's ReportBuilder and the collector
# read them from the one schema (docs/architecture.md, "Adding a report section").
# Link Telemetry::report_sections to include "telemetry/report_section_table.hpp".
find_package(RapidJSON REQUIRED)

set(TELEMETRY_REPORT_SCHEMA_FILE ${PROJECT_SOURCE_DIR}/config/report.schema.json)
set(_report_sections_dir ${PROJECT_BINARY_DIR}/generated/report_sections)
set(_report_sections_header ${_report_sections_dir}/telemetry/report_section_table.hpp)

# A build tool only, never installed.
add_executable(telemetry-generate-report-sections
  ${CMAKE_CURRENT_LIST_DIR}/report_sections/generate_report_sections.cpp)
target_include_directories(telemetry-generate-report-sections SYSTEM PRIVATE
  ${RAPIDJSON_INCLUDE_DIRS})
set_target_properties(telemetry-generate-report-sections PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/generated)
if(TELEMETRY_BUILD_FUZZERS)
  # clang's UBSan stops the generator inside RapidJSON 1.1's parser (a null pointer plus an
  # offset, fixed upstream), which would stop the fuzz build; the fuzzers ignore it too.
  target_compile_options(telemetry-generate-report-sections PRIVATE
    -fsanitize-ignorelist=${PROJECT_SOURCE_DIR}/fuzz/rapidjson-ubsan-ignorelist.txt)
endif()

add_custom_command(
  OUTPUT ${_report_sections_header}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${_report_sections_dir}/telemetry
  COMMAND telemetry-generate-report-sections ${TELEMETRY_REPORT_SCHEMA_FILE}
          ${_report_sections_header}
  DEPENDS telemetry-generate-report-sections ${TELEMETRY_REPORT_SCHEMA_FILE}
  COMMENT "Generating the report's section table from config/report.schema.json"
  VERBATIM)
add_custom_target(telemetry-report-section-table DEPENDS ${_report_sections_header})

# Header-only; linked with $<BUILD_INTERFACE:...> by installed targets, since nothing of
# it is installed (the table is compiled into them).
add_library(telemetry-report-sections INTERFACE)
add_library(Telemetry::report_sections ALIAS telemetry-report-sections)
target_include_directories(telemetry-report-sections INTERFACE ${_report_sections_dir})
add_dependencies(telemetry-report-sections telemetry-report-section-table)
