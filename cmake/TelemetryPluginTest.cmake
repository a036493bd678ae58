# Test helpers for first-party plugins (not installed: vendors test with the mock context).

# telemetry_add_plugin_test(<plugin> <sources>... [LIBRARIES <libs>...])
# The test program of a first-party plugin: telemetry-plugin-<plugin>-test, linked with the
# test support and plugin test helpers, told the plugin file as TELEMETRY_PLUGIN_FILE, and
# registered with ctest.
function(telemetry_add_plugin_test plugin)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "LIBRARIES")
  set(target telemetry-plugin-${plugin}-test)
  add_executable(${target} ${ARG_UNPARSED_ARGUMENTS})
  target_link_libraries(${target} PRIVATE
    Telemetry::test_support Telemetry::plugin_testing Telemetry::plugin_common ${ARG_LIBRARIES})
  target_compile_definitions(${target} PRIVATE
    TELEMETRY_PLUGIN_FILE="$<TARGET_FILE:telemetry-plugin-${plugin}>")
  add_dependencies(${target} telemetry-plugin-${plugin})
  gtest_discover_tests(${target} DISCOVERY_MODE PRE_TEST)
endfunction()
