# Runs credo on a generated SME portfolio and checks its outputs against the oracle's checksums.
#
#   cmake -DCREDO=<credo> -DGEN=<credo-gen-sme> -DPOLICY=<policies/sme-credit-v1.credo>
#         -DROWS=<n> -DSEED=<s> -DWORK=<scratch dir> [-DENGINE=interp|jit] [-DTABLE=<file>]
#         [-DKEEP=ON] [-DGEN_ONLY=ON] -P check_generated.cmake
#
# 1. GEN writes ROWS rows with SEED into a directory of this run's own below WORK (run_dir.cmake:
#    two ctest runs over one build tree must not touch each other's files); the input's sha256
#    must match the ROWS/SEED line of TABLE (default: generated.txt beside this script), so a
#    change to the generator is caught instead of silently testing against stale expectations.
# 2. `CREDO run POLICY --in IN --out OUT --rejects REJ [--engine=ENGINE]` must exit with 0
#    (EXPECT_EXIT overrides) and both outputs' sha256 must match the table.
# On a mismatch the files stay in that directory for inspection; on success it is deleted unless
# KEEP.
# GEN_ONLY=ON stops after step 1 (checks only the generator; CREDO and POLICY are not needed).
#
# generated.txt: one line per case, `rows seed sha256(input) sha256(output) sha256(rejects)`;
# blank lines and lines starting with '#' are ignored.

cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/run_dir.cmake)

set(required GEN ROWS SEED WORK)
if(NOT GEN_ONLY)
  list(APPEND required CREDO POLICY)
endif()
foreach(var IN LISTS required)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_generated: -D${var}=... is required")
  endif()
endforeach()
if(NOT DEFINED TABLE OR "${TABLE}" STREQUAL "")
  set(TABLE "${CMAKE_CURRENT_LIST_DIR}/generated.txt")
endif()
if(NOT DEFINED EXPECT_EXIT OR "${EXPECT_EXIT}" STREQUAL "")
  set(EXPECT_EXIT 0)
endif()

# --- the expected checksums --------------------------------------------------------------------
if(NOT EXISTS "${TABLE}")
  message(FATAL_ERROR "check_generated: checksum table not found: ${TABLE}")
endif()
file(STRINGS "${TABLE}" table_lines)
set(found FALSE)
foreach(line IN LISTS table_lines)
  string(STRIP "${line}" line)
  if(line STREQUAL "" OR line MATCHES "^#")
    continue()
  endif()
  string(REGEX REPLACE "[ \t]+" ";" fields "${line}")
  list(LENGTH fields n)
  if(NOT n EQUAL 5)
    message(FATAL_ERROR "check_generated: malformed line in ${TABLE}: '${line}'")
  endif()
  list(GET fields 0 rows)
  list(GET fields 1 seed)
  if(rows STREQUAL "${ROWS}" AND seed STREQUAL "${SEED}")
    list(GET fields 2 want_input)
    list(GET fields 3 want_output)
    list(GET fields 4 want_rejects)
    set(found TRUE)
    break()
  endif()
endforeach()
if(NOT found)
  message(FATAL_ERROR "check_generated: no line for rows=${ROWS} seed=${SEED} in ${TABLE}")
endif()

# --- generate the input ------------------------------------------------------------------------
set(tag "sme-${ROWS}-${SEED}")
if(DEFINED ENGINE AND NOT "${ENGINE}" STREQUAL "")
  string(APPEND tag "-${ENGINE}")
endif()
credo_run_dir("${WORK}" "${tag}" run_dir)
set(input "${run_dir}/${tag}.input.csv")
set(output "${run_dir}/${tag}.output.csv")
set(rejects "${run_dir}/${tag}.rejects.csv")

execute_process(
  COMMAND "${GEN}" --rows "${ROWS}" --seed "${SEED}" --out "${input}"
  RESULT_VARIABLE gen_rc
  ERROR_VARIABLE gen_err)
if(NOT gen_rc EQUAL 0)
  message(FATAL_ERROR "check_generated: ${GEN} failed (${gen_rc}): ${gen_err} (files in ${run_dir})")
endif()
file(SHA256 "${input}" got_input)
if(NOT got_input STREQUAL want_input)
  message(NOTICE
    "  input    ${input}\n"
    "  sha256   ${got_input}\n"
    "  expected ${want_input} (${TABLE})\n"
    "The expected outputs in the table belong to the old input. If the generator change is\n"
    "intended, recompute all three checksums with the reference oracle as described at the\n"
    "top of the table.")
  message(FATAL_ERROR "check_generated: the generator's output changed for rows=${ROWS} "
                      "seed=${SEED}")
endif()

if(GEN_ONLY)
  message(STATUS "check_generated: rows=${ROWS} seed=${SEED}: the generator's output matches")
  if(KEEP)
    message(STATUS "check_generated: kept in ${run_dir}")
  else()
    file(REMOVE_RECURSE "${run_dir}")
  endif()
  return()
endif()

# --- run credo ---------------------------------------------------------------------------------
set(cmd "${CREDO}" run "${POLICY}" --in "${input}" --out "${output}" --rejects "${rejects}")
if(DEFINED ENGINE AND NOT "${ENGINE}" STREQUAL "")
  list(APPEND cmd "--engine=${ENGINE}")
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
  message(FATAL_ERROR "check_generated: credo exited with ${run_rc} (expected ${EXPECT_EXIT}); its files are in ${run_dir}")
endif()

# The oracle writes rejects as line,id,reason; credo's detail column (the last) is left out of
# the comparison, as in check_files.cmake's STRIP_DETAIL. It never holds a line break.
if(EXISTS "${rejects}")
  file(READ "${rejects}" rejects_text)
  string(REGEX REPLACE ",(\"([^\"]|\"\")*\"|[^,\"\n]*)\n" "\n" rejects_text "${rejects_text}")
  file(WRITE "${rejects}" "${rejects_text}")
endif()

set(failures "")
foreach(kind output rejects)
  if(NOT EXISTS "${${kind}}")
    string(APPEND failures "  ${kind}: ${${kind}} was not written\n")
    continue()
  endif()
  file(SHA256 "${${kind}}" got)
  if(NOT got STREQUAL want_${kind})
    string(APPEND failures
      "  ${kind}: ${${kind}}\n    sha256   ${got}\n    expected ${want_${kind}}\n")
  endif()
endforeach()
if(NOT failures STREQUAL "")
  message(NOTICE "${failures}command: ${cmd_text}\nThe files are left in ${run_dir} for inspection.")
  message(FATAL_ERROR "check_generated: credo's output differs from the oracle's (rows=${ROWS} "
                      "seed=${SEED} engine=${ENGINE})")
endif()

message(STATUS "check_generated: rows=${ROWS} seed=${SEED} engine=${ENGINE}: input, output and "
               "rejects match the oracle")
if(KEEP)
  message(STATUS "check_generated: kept in ${run_dir}")
else()
  file(REMOVE_RECURSE "${run_dir}")
endif()
