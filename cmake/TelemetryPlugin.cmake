# telemetry_add_plugin(NAME SOURCES... [LIBRARIES libs...] [OUTPUT_DIRECTORY dir])
# Builds one probe plugin as a MODULE library with hidden visibility, so that only the
# Boost.DLL aliases of the plugin descriptor are exported.
function(telemetry_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "LIBRARIES" ${ARGN})
  set(target telemetry-plugin-${name})
  add_library(${target} MODULE ${ARG_UNPARSED_ARGUMENTS})
  if(NOT ARG_OUTPUT_DIRECTORY)
    # A first-party plugin: lands beside the CLI and builds with `telemetry-plugins`.
    set(ARG_OUTPUT_DIRECTORY ${TELEMETRY_PLUGIN_OUTPUT_DIR})
    if(NOT TARGET telemetry-plugins)
      add_custom_target(telemetry-plugins)
    endif()
    add_dependencies(telemetry-plugins ${target})
  endif()
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${name}
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  target_link_libraries(${target} PRIVATE Telemetry::plugin_api ${ARG_LIBRARIES})
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
endfunction()
