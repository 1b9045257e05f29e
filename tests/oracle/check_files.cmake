# Runs credo on a fixed input and compares its two outputs byte for byte with expected files.
#
#   cmake -DCREDO=<credo> -DPOLICY=<policy.credo> -DINPUT=<input.csv>
#         -DEXPECTED=<expected.csv> -DEXPECTED_REJECTS=<rejects.csv> -DWORK=<scratch dir>
#         [-DENGINE=interp|jit] [-DNAME=<file prefix, default: input's name>] [-DEXPECT_EXIT=0]
#         [-DTHREADS=<n>] [-DBATCH=<rows>] [-DEXTRA_OUTPUTS=<name>=<expected.csv>|...]
#         [-DREFS=<reference>=<file.csv>|...] [-DEXPECTED_REF_REJECTS=<ref-rejects.csv>]
#         -P check_files.cmake
#
# STRIP_DETAIL=1: when the expected rejects are an oracle's `line,id,reason` (an oracle that does
# not model the wording of credo's `detail` column), the written rejects are compared without
# their last column; an expected file with the detail column is compared whole. The detail
# column is compared byte for byte in the golden run cases.
#
# REFS: reference data (`--ref NAME=FILE` each); with EXPECTED_REF_REJECTS the rejected
# reference rows are asked for with `--ref-rejects WORK/...` and compared too.
#
# EXTRA_OUTPUTS: per-group outputs (`output NAME per group`) to ask for with `--output
# NAME=<the run's directory>/...` and compare with their expected files too.
#
# Runs `CREDO run POLICY --in INPUT --out OUT --rejects REJ [--engine=ENGINE] [--threads THREADS]
# [--batch BATCH]` with OUT and REJ in a directory of this run's own below WORK (run_dir.cmake:
# two ctest runs over one build tree must not touch each other's files), requires exit code
# EXPECT_EXIT (default 0), then `cmake -E compare_files` on both. On a difference it prints the
# first differing lines (via `diff -u`, when diff exists) and leaves the files there; when all
# match, the directory is removed.

cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/run_dir.cmake)

foreach(var CREDO POLICY INPUT EXPECTED EXPECTED_REJECTS WORK)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_files: -D${var}=... is required")
  endif()
endforeach()
foreach(var INPUT EXPECTED EXPECTED_REJECTS)
  if(NOT EXISTS "${${var}}")
    message(FATAL_ERROR "check_files: ${var} not found: ${${var}}")
  endif()
endforeach()
if(NOT DEFINED EXPECT_EXIT OR "${EXPECT_EXIT}" STREQUAL "")
  set(EXPECT_EXIT 0)
endif()
if(NOT DEFINED NAME OR "${NAME}" STREQUAL "")
  get_filename_component(NAME "${INPUT}" NAME_WE)
endif()
if(DEFINED ENGINE AND NOT "${ENGINE}" STREQUAL "")
  string(APPEND NAME "-${ENGINE}")
endif()
if(DEFINED THREADS AND NOT "${THREADS}" STREQUAL "")
  string(APPEND NAME "-t${THREADS}")
endif()

credo_run_dir("${WORK}" "${NAME}" run_dir)
set(output "${run_dir}/${NAME}.output.csv")
set(rejects "${run_dir}/${NAME}.rejects.csv")

set(cmd "${CREDO}" run "${POLICY}" --in "${INPUT}" --out "${output}" --rejects "${rejects}")
if(DEFINED ENGINE AND NOT "${ENGINE}" STREQUAL "")
  list(APPEND cmd "--engine=${ENGINE}")
endif()
if(DEFINED THREADS AND NOT "${THREADS}" STREQUAL "")
  list(APPEND cmd --threads "${THREADS}")
endif()
if(DEFINED BATCH AND NOT "${BATCH}" STREQUAL "")
  list(APPEND cmd --batch "${BATCH}")
endif()
set(extra_pairs "")  # expected;written;expected;written...
string(REPLACE "|" ";" extra_specs "${EXTRA_OUTPUTS}")
foreach(spec IN LISTS extra_specs)
  string(FIND "${spec}" "=" eq)
  if(eq LESS 1)
    message(FATAL_ERROR "check_files: EXTRA_OUTPUTS entry '${spec}' is not NAME=FILE")
  endif()
  string(SUBSTRING "${spec}" 0 ${eq} extra_name)
  math(EXPR after "${eq} + 1")
  string(SUBSTRING "${spec}" ${after} -1 extra_expected)
  if(NOT EXISTS "${extra_expected}")
    message(FATAL_ERROR "check_files: expected file not found: ${extra_expected}")
  endif()
  set(extra_written "${run_dir}/${NAME}.${extra_name}.csv")
  list(APPEND cmd --output "${extra_name}=${extra_written}")
  list(APPEND extra_pairs "${extra_expected}" "${extra_written}")
endforeach()
string(REPLACE "|" ";" ref_specs "${REFS}")
foreach(spec IN LISTS ref_specs)
  list(APPEND cmd --ref "${spec}")
endforeach()
if(DEFINED EXPECTED_REF_REJECTS AND NOT "${EXPECTED_REF_REJECTS}" STREQUAL "")
  set(ref_rejects "${run_dir}/${NAME}.ref-rejects.csv")
  list(APPEND cmd --ref-rejects "${ref_rejects}")
  list(APPEND extra_pairs "${EXPECTED_REF_REJECTS}" "${ref_rejects}")
endif()
string(JOIN " " cmd_text ${cmd})
execute_process(
  COMMAND ${cmd}
  RESULT_VARIABLE run_rc
  OUTPUT_VARIABLE run_out
  ERROR_VARIABLE run_err)
if(NOT run_rc STREQUAL "${EXPECT_EXIT}")
  # NOTICE prints verbatim; FATAL_ERROR would re-flow the captured text.
  message(NOTICE "command: ${cmd_text}\n--- stdout ---\n${run_out}--- stderr ---\n${run_err}")
  message(FATAL_ERROR "check_files: credo exited with ${run_rc} (expected ${EXPECT_EXIT}); its files are in ${run_dir}")
endif()

find_program(DIFF_PROGRAM diff)

# The first `max_lines` lines of `text` (kept as one string: CSV lines contain ';', so no lists).
function(head_lines text max_lines out_var)
  set(shown "")
  set(count 0)
  while(count LESS max_lines)
    string(FIND "${text}" "\n" nl)
    if(nl EQUAL -1)
      string(APPEND shown "${text}")
      set(text "")
      break()
    endif()
    math(EXPR next "${nl} + 1")
    string(SUBSTRING "${text}" 0 ${next} line)
    string(APPEND shown "${line}")
    string(SUBSTRING "${text}" ${next} -1 text)
    math(EXPR count "${count} + 1")
  endwhile()
  if(NOT text STREQUAL "")
    string(APPEND shown "... (diff truncated)\n")
  endif()
  set(${out_var} "${shown}" PARENT_SCOPE)
endfunction()

set(failures "")
function(compare want got)
  if(NOT EXISTS "${got}")
    set(failures "${failures}${got} was not written\n" PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND "${CMAKE_COMMAND}" -E compare_files "${want}" "${got}"
                  RESULT_VARIABLE differs)
  if(differs EQUAL 0)
    return()
  endif()
  set(text "${got} differs from ${want}\n")
  if(DIFF_PROGRAM)
    execute_process(COMMAND "${DIFF_PROGRAM}" -u "${want}" "${got}" OUTPUT_VARIABLE diff_text)
    string(SUBSTRING "${diff_text}" 0 20000 diff_text)  # plenty for 40 lines
    head_lines("${diff_text}" 40 diff_head)
    string(APPEND text "${diff_head}")
  endif()
  set(failures "${failures}${text}" PARENT_SCOPE)
endfunction()

compare("${EXPECTED}" "${output}")
set(expected_header "")
if(EXISTS "${EXPECTED_REJECTS}")
  file(STRINGS "${EXPECTED_REJECTS}" expected_header LIMIT_COUNT 1)
endif()
if(STRIP_DETAIL AND NOT expected_header MATCHES ",reason,detail$" AND EXISTS "${rejects}")
  # The detail is the last cell of a line and never holds a line break (it is escaped).
  file(READ "${rejects}" rejects_text)
  string(REGEX REPLACE ",(\"([^\"]|\"\")*\"|[^,\"\n]*)\n" "\n" rejects_text "${rejects_text}")
  set(rejects "${rejects}.without-detail")
  file(WRITE "${rejects}" "${rejects_text}")
endif()
compare("${EXPECTED_REJECTS}" "${rejects}")
while(extra_pairs)
  list(POP_FRONT extra_pairs want got)
  compare("${want}" "${got}")
endwhile()
if(NOT failures STREQUAL "")
  message(NOTICE "${failures}command: ${cmd_text}\nThe files are left in ${run_dir} for inspection.")
  message(FATAL_ERROR "check_files: ${NAME}: credo's output differs from the expected files")
endif()
message(STATUS "check_files: ${NAME}: output and rejects (and any per-group outputs) match ${EXPECTED} and ${EXPECTED_REJECTS}")
file(REMOVE_RECURSE "${run_dir}")
