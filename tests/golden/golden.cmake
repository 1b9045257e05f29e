# Included from tests/CMakeLists.txt (in that directory's scope): the golden diagnostics tests.
#
#   golden.check.<case>    label `golden`: `credo check tests/golden/check/<case>.credo`, run in
#                          the repository root, must print exactly <case>.expected (stderr, then
#                          `exit: N`). See tests/golden/README.md to add or update a case.
#   golden.codes_covered   label `golden`: every code in compiler/base/diagnostic_kinds.def has a
#                          case named <CODE>-*.credo that reports it.
#
# (The golden run cases, tests/golden/run/, are registered by tests/policies/policies.cmake.)

set(GOLDEN_DIR ${CMAKE_CURRENT_SOURCE_DIR}/golden)

# One test per case (CONFIGURE_DEPENDS: a new case is picked up by the next build).
file(GLOB golden_check_cases CONFIGURE_DEPENDS ${GOLDEN_DIR}/check/*.credo)
list(SORT golden_check_cases)
foreach(case_file IN LISTS golden_check_cases)
  get_filename_component(case ${case_file} NAME_WLE)
  add_test(NAME golden.check.${case} COMMAND ${CMAKE_COMMAND} -DCREDO=$<TARGET_FILE:credo>
    -DCASE=${case_file} -DROOT=${PROJECT_SOURCE_DIR}
    -P ${GOLDEN_DIR}/run_check.cmake)
  set_tests_properties(golden.check.${case} PROPERTIES LABELS golden)
endforeach()

add_test(NAME golden.codes_covered COMMAND ${CMAKE_COMMAND}
  -DDEF=${PROJECT_SOURCE_DIR}/compiler/base/diagnostic_kinds.def -DCASES=${GOLDEN_DIR}/check
  -P ${GOLDEN_DIR}/codes_covered.cmake)
set_tests_properties(golden.codes_covered PROPERTIES LABELS golden)
