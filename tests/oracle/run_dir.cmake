# run_dir.cmake — credo_run_dir(WORK NAME OUT_VAR): a new scratch directory WORK/NAME.XXXXXX of
# one test run's own (mktemp -d), for check_files.cmake and check_generated.cmake.
#
# Their outputs used to have fixed names in WORK, so two ctest runs over one build tree (two
# sessions at once, or a developer's run beside another) removed, overwrote and compared each
# other's files, and a test failed that had nothing wrong with it ("... was not written", or a
# difference). The caller removes the directory when the run passes and keeps it when it fails.

function(credo_run_dir work name out_var)
  file(MAKE_DIRECTORY "${work}")
  execute_process(
    COMMAND mktemp -d "${work}/${name}.XXXXXX"
    RESULT_VARIABLE rc
    OUTPUT_VARIABLE dir
    ERROR_VARIABLE err
    OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0 OR dir STREQUAL "" OR NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "credo_run_dir: cannot make a scratch directory in ${work} (mktemp -d: ${err})")
  endif()
  set(${out_var} "${dir}" PARENT_SCOPE)
endfunction()
