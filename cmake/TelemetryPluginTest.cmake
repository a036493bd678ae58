# Test helpers for first-party plugins (not installed: vendors test with the mock context).

# telemetry_add_plugin_test(<plugin> <sources>... [NAME <name>] [LIBRARIES <libs>...]
#                           [FIXTURES_REQUIRED <fixtures>...])
# The test program of a first-party plugin: telemetry-plugin-<plugin>-test (or
# telemetry-plugin-<plugin>-<name>-test), linked with the test support and plugin test
# helpers, able to include the plugin's own headers, told the plugin file as
# TELEMETRY_PLUGIN_FILE, and registered with ctest. plugins/common, shared code and no
# plugin file, uses it too. FIXTURES_REQUIRED names the test services (tests/services) every
# test of the program needs: ctest gives all tests of one program the same fixtures, so tests
# against another service go in another program (NAME).
function(telemetry_add_plugin_test plugin)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "NAME" "LIBRARIES;FIXTURES_REQUIRED")
  set(target telemetry-plugin-${plugin}-test)
  if(ARG_NAME)
    set(target telemetry-plugin-${plugin}-${ARG_NAME}-test)
  endif()
  add_executable(${target} ${ARG_UNPARSED_ARGUMENTS})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/plugins/${plugin})
  target_link_libraries(${target} PRIVATE
    Telemetry::test_support Telemetry::plugin_testing Telemetry::plugin_common ${ARG_LIBRARIES})
  set(module telemetry-plugin-${plugin})
  if(TARGET ${module})
    get_target_property(type ${module} TYPE)
  endif()
  if(type STREQUAL "MODULE_LIBRARY")
    target_compile_definitions(${target} PRIVATE TELEMETRY_PLUGIN_FILE="$<TARGET_FILE:${module}>")
    add_dependencies(${target} ${module})
  endif()
  set(properties)
  if(ARG_FIXTURES_REQUIRED)
    set(properties PROPERTIES FIXTURES_REQUIRED "${ARG_FIXTURES_REQUIRED}")
  endif()
  gtest_discover_tests(${target} DISCOVERY_MODE PRE_TEST ${properties})
endfunction()
