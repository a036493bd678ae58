# The data dictionary page, as `telemetry explain --dictionary` writes it. MODE=write makes
# GENERATED (at build time), MODE=update copies it over DOC (docs/data.md), MODE=check (the
# test docs.data_dictionary) runs the command afresh and fails when DOC differs from what it
# prints or when any field is undocumented.
foreach(variable TELEMETRY CONFIG GENERATED DOC MODE)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "data_dictionary.cmake: -D${variable}=... is missing")
  endif()
endforeach()

function(run_explain out)
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E env --unset=TELEMETRY_CONFIG --unset=TELEMETRY_PLUGIN_DIR
            ${TELEMETRY} --config ${CONFIG} --log-level warn explain --dictionary
    OUTPUT_VARIABLE page ERROR_VARIABLE errors RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "telemetry explain --dictionary failed (${status}):\n${errors}")
  endif()
  set(${out} "${page}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "write")
  run_explain(page)
  file(WRITE ${GENERATED} "${page}")
elseif(MODE STREQUAL "update")
  file(COPY_FILE ${GENERATED} ${DOC} ONLY_IF_DIFFERENT)
  message(STATUS "${DOC} is up to date")
elseif(MODE STREQUAL "check")
  run_explain(page)
  string(REGEX MATCHALL "[^\n]*\\*\\*undocumented\\*\\*[^\n]*" undocumented "${page}")
  if(undocumented)
    list(JOIN undocumented "\n" lines)
    message(FATAL_ERROR "fields without documentation (document them in the plugin's "
                        "kFields, see docs/plugin-authoring.md):\n${lines}")
  endif()
  if(EXISTS ${DOC})
    file(READ ${DOC} checked_in)
  else()
    set(checked_in "")
  endif()
  if(NOT checked_in STREQUAL page)
    file(WRITE ${GENERATED}.new "${page}")
    message(FATAL_ERROR "${DOC} is stale: it is not what telemetry explain --dictionary "
                        "prints now (${GENERATED}.new). Update it with: cmake --build <build> "
                        "--target telemetry-data-doc")
  endif()
else()
  message(FATAL_ERROR "data_dictionary.cmake: MODE must be write, update or check")
endif()
