# telemetry_add_plugin(NAME SOURCES... [LIBRARIES libs...] [OUTPUT_DIRECTORY dir])
# Builds one probe plugin as a MODULE library with hidden visibility, so that only the
# Boost.DLL aliases of the plugin descriptor are exported.
#
# The same file serves the source tree and the installed TelemetryPluginAPI package (which
# defines Telemetry::plugin_api as an imported target before including it). A plugin
# without OUTPUT_DIRECTORY is installed to TELEMETRY_PLUGIN_INSTALL_DIR, the directory the
# host searches beside its executable (PREFIX/lib/telemetry/plugins); test plugins with an
# OUTPUT_DIRECTORY of their own are not installed.
include_guard(GLOBAL)

# Fixed `lib`, not CMAKE_INSTALL_LIBDIR: the host looks in <bin>/../lib/telemetry/plugins
# (defaultPluginDirectory() in host/src/config/config_loader.cpp).
if(NOT DEFINED TELEMETRY_PLUGIN_INSTALL_DIR)
  set(TELEMETRY_PLUGIN_INSTALL_DIR lib/telemetry/plugins)
endif()

function(telemetry_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "LIBRARIES" ${ARGN})
  set(target telemetry-plugin-${name})
  add_library(${target} MODULE ${ARG_UNPARSED_ARGUMENTS})
  set(install_plugin OFF)
  if(NOT ARG_OUTPUT_DIRECTORY)
    set(install_plugin ON)
    if(DEFINED TELEMETRY_PLUGIN_OUTPUT_DIR)
      # A first-party plugin: lands beside the CLI and builds with `telemetry-plugins`.
      set(ARG_OUTPUT_DIRECTORY ${TELEMETRY_PLUGIN_OUTPUT_DIR})
      if(NOT TARGET telemetry-plugins)
        add_custom_target(telemetry-plugins)
      endif()
      add_dependencies(telemetry-plugins ${target})
      # docs/data.md documents each of them (cmake/DataDictionary.cmake).
      set_property(GLOBAL APPEND PROPERTY TELEMETRY_FIRST_PARTY_PLUGINS ${target})
    endif()
  endif()
  set_target_properties(${target} PROPERTIES
    OUTPUT_NAME ${name}
    PREFIX ""
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
  target_compile_features(${target} PRIVATE cxx_std_20)
  target_link_libraries(${target} PRIVATE Telemetry::plugin_api ${ARG_LIBRARIES})
  target_link_options(${target} PRIVATE -Wl,--no-undefined)
  if(install_plugin)
    install(TARGETS ${target} LIBRARY DESTINATION ${TELEMETRY_PLUGIN_INSTALL_DIR})
  endif()
endfunction()
