# Runs `credo check` on one golden case and compares what it prints with the case's .expected file.
#
#   cmake -DCREDO=<credo> -DCASE=<tests/golden/check/NAME.credo> [-DROOT=<repo root>] [-DUPDATE=ON]
#         -P tests/golden/run_check.cmake
#
# The command runs in ROOT (default: the repository this script lives in) with the case's path
# relative to ROOT, so the paths in the diagnostics are repo-relative. The .expected file holds
# exactly what credo prints to stderr, then a last line `exit: N`; stdout must stay empty.
# With -DUPDATE=ON the .expected file is (re)written instead of compared. Relative CREDO and CASE
# paths are taken from the current directory.

cmake_minimum_required(VERSION 3.25)

foreach(var CREDO CASE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_check: -D${var}=... is required")
  endif()
endforeach()
if(NOT DEFINED ROOT OR "${ROOT}" STREQUAL "")
  get_filename_component(ROOT "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
endif()
get_filename_component(CREDO "${CREDO}" ABSOLUTE)
get_filename_component(CASE "${CASE}" ABSOLUTE)
if(NOT EXISTS "${CASE}")
  message(FATAL_ERROR "run_check: no such case: ${CASE}")
endif()

get_filename_component(case_dir "${CASE}" DIRECTORY)
get_filename_component(case_name "${CASE}" NAME_WLE)
set(expected_file "${case_dir}/${case_name}.expected")
file(RELATIVE_PATH relative "${ROOT}" "${CASE}")

execute_process(
  COMMAND "${CREDO}" check "${relative}"
  WORKING_DIRECTORY "${ROOT}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
if(NOT rc MATCHES "^[0-9]+$")  # not an exit code: credo did not run (missing, being relinked ...)
  message(FATAL_ERROR "run_check: could not run ${CREDO}: ${rc}")
endif()
set(actual "${err}exit: ${rc}\n")

if(UPDATE)
  file(WRITE "${expected_file}" "${actual}")
  message(STATUS "updated ${expected_file}")
  return()
endif()

if(NOT EXISTS "${expected_file}")
  message(NOTICE "--- actual ---\n${actual}")
  message(FATAL_ERROR "run_check: ${expected_file} does not exist; create it with -DUPDATE=ON "
                      "(see tests/golden/README.md) and review it")
endif()
file(READ "${expected_file}" expected)

set(failed FALSE)
if(NOT out STREQUAL "")
  message(NOTICE "--- unexpected stdout ---\n${out}")
  set(failed TRUE)
endif()
if(NOT actual STREQUAL expected)
  # NOTICE prints verbatim; FATAL_ERROR would re-flow the text.
  message(NOTICE "command (in ${ROOT}): ${CREDO} check ${relative}\n"
                 "--- expected (${expected_file}) ---\n${expected}--- actual ---\n${actual}")
  find_program(DIFF_PROGRAM diff)
  if(DIFF_PROGRAM)
    set(actual_file "${CMAKE_CURRENT_BINARY_DIR}/${case_name}.actual")
    file(WRITE "${actual_file}" "${actual}")
    execute_process(COMMAND "${DIFF_PROGRAM}" -u "${expected_file}" "${actual_file}" OUTPUT_VARIABLE diff_text)
    file(REMOVE "${actual_file}")
    message(NOTICE "--- diff -u expected actual ---\n${diff_text}")
  endif()
  set(failed TRUE)
endif()
if(failed)
  message(FATAL_ERROR "run_check: ${relative} does not print what ${case_name}.expected says; if the "
                      "change is intended, update it with -DUPDATE=ON (tests/golden/README.md)")
endif()
