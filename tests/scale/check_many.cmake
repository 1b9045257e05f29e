# Checks a policy with very many declarations or diagnostics, generated here, and requires the
# expected exit code and summary line: with `scale.cmake`'s TIMEOUT, a `credo check` that is
# quadratic in the number of declarations or diagnostics fails (issue 9).
#
#   cmake -DCREDO=<credo> -DWORK=<dir> -DKIND=lets|unknown_names -DBLOCKS=<n> -P check_many.cmake
#
# KIND=lets: BLOCKS × 512 independent lets, each with two overflow sites, none used (one W0001
# each). KIND=unknown_names: BLOCKS × 512 lets, each naming a different undeclared value (one
# E0102 and one W0001 each, with a name search).

cmake_minimum_required(VERSION 3.25)

foreach(var CREDO WORK KIND BLOCKS)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_many: -D${var}=... is required")
  endif()
endforeach()

if(KIND STREQUAL "lets")
  set(line "let v@_#i = amount * 2 + #i\n")
  set(expected_rc 0)
elseif(KIND STREQUAL "unknown_names")
  set(line "let v@_#i = unknown@_#i + 1\n")
  set(expected_rc 1)
else()
  message(FATAL_ERROR "check_many: KIND must be lets or unknown_names")
endif()

# One block of 512 declarations, repeated with a block number: CMake strings grow in quadratic
# time when appended to line by line.
set(block "")
foreach(i RANGE 0 511)
  string(REPLACE "#i" "${i}" text "${line}")
  string(APPEND block "${text}")
endforeach()
file(MAKE_DIRECTORY "${WORK}")
set(policy "${WORK}/${KIND}.credo")
file(WRITE "${policy}" "policy many version \"1\"\nenum Decision { APPROVE, REFER }\n"
                      "input In {\n  id: string\n  amount: money\n}\n")
math(EXPR last "${BLOCKS} - 1")
foreach(b RANGE 0 ${last})
  string(REPLACE "@" "${b}" text "${block}")
  file(APPEND "${policy}" "${text}")
endforeach()
file(APPEND "${policy}" "decision: Decision {\n  amount > 0 => APPROVE\n  else => REFER because \"R\"\n}\n"
                        "output { id, decision }\n")

math(EXPR count "${BLOCKS} * 512")
set(diagnostics "${WORK}/${KIND}.stderr")
execute_process(COMMAND "${CREDO}" check "${policy}" RESULT_VARIABLE rc OUTPUT_QUIET ERROR_FILE "${diagnostics}")
# Only the summary line at the end: a regular expression over megabytes of diagnostics is slow.
file(SIZE "${diagnostics}" size)
set(offset 0)
if(size GREATER 200)
  math(EXPR offset "${size} - 200")
endif()
file(READ "${diagnostics}" tail OFFSET ${offset})
file(REMOVE "${policy}" "${diagnostics}")
# Without errors credo prints no summary: then the last diagnostic is the last let's W0001.
if(KIND STREQUAL "lets")
  set(expected_summary "warning[W0001]: value 'v${last}_511' is never used")
else()
  set(expected_summary ": ${count} errors, ${count} warnings\n")  # each let is also unused (W0001)
endif()
string(FIND "${tail}" "${expected_summary}" at)
if(NOT rc EQUAL expected_rc OR at EQUAL -1)
  message(FATAL_ERROR "check_many: credo check of ${count} ${KIND} exited ${rc} (expected ${expected_rc}) and "
                      "ended with '${tail}' (expected '${expected_summary}')")
endif()
message(STATUS "check_many: ${count} ${KIND}: exit ${rc}, ends with ${expected_summary}")
