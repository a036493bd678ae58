# docs/data.md, the data dictionary, generated at build time by `telemetry explain
# --dictionary` from the same sources as `telemetry explain` and the admin page: the schema
# (the host's fields, checked by generate_report_sections.cpp) and the descriptors of the
# first-party plugins. The test docs.data_dictionary fails when docs/data.md is stale or a
# plugin field is undocumented; `cmake --build build --target telemetry-data-doc` updates it.
get_property(_plugin_targets GLOBAL PROPERTY TELEMETRY_FIRST_PARTY_PLUGINS)
set(_dictionary_dir ${PROJECT_BINARY_DIR}/generated)
set(TELEMETRY_DATA_DICTIONARY ${_dictionary_dir}/data.md)
set(TELEMETRY_DATA_DICTIONARY_CONFIG ${_dictionary_dir}/data-dictionary.yaml)
# Only the first-party plugins, and a state path that does not exist: the command creates
# nothing and finds no descriptor cache.
file(WRITE ${TELEMETRY_DATA_DICTIONARY_CONFIG}
  "plugins:\n  paths: [\"${TELEMETRY_PLUGIN_OUTPUT_DIR}\"]\n"
  "state:\n  path: \"${_dictionary_dir}/data-dictionary-no-state.db\"\n")
set(_plugin_files)
foreach(target ${_plugin_targets})
  list(APPEND _plugin_files $<TARGET_FILE:${target}>)
endforeach()
set(_dictionary_script ${CMAKE_CURRENT_LIST_DIR}/report_sections/data_dictionary.cmake)
set(_dictionary_args -DTELEMETRY=$<TARGET_FILE:telemetry>
    -DCONFIG=${TELEMETRY_DATA_DICTIONARY_CONFIG} -DGENERATED=${TELEMETRY_DATA_DICTIONARY}
    -DDOC=${PROJECT_SOURCE_DIR}/docs/data.md)

add_custom_command(
  OUTPUT ${TELEMETRY_DATA_DICTIONARY}
  COMMAND ${CMAKE_COMMAND} ${_dictionary_args} -DMODE=write -P ${_dictionary_script}
  DEPENDS telemetry telemetry-probe ${_plugin_targets} ${_plugin_files}
          ${TELEMETRY_REPORT_SCHEMA_FILE} ${_dictionary_script}
  COMMENT "Generating the data dictionary (docs/data.md) with telemetry explain --dictionary"
  VERBATIM)
add_custom_target(telemetry-data-dictionary ALL DEPENDS ${TELEMETRY_DATA_DICTIONARY})
# Copies the generated page over docs/data.md.
add_custom_target(telemetry-data-doc
  COMMAND ${CMAKE_COMMAND} ${_dictionary_args} -DMODE=update -P ${_dictionary_script}
  DEPENDS ${TELEMETRY_DATA_DICTIONARY}
  VERBATIM)

if(TELEMETRY_BUILD_TESTS)
  add_test(NAME docs.data_dictionary
           COMMAND ${CMAKE_COMMAND} ${_dictionary_args} -DMODE=check -P ${_dictionary_script})
  set_tests_properties(docs.data_dictionary PROPERTIES TIMEOUT 120)
endif()
