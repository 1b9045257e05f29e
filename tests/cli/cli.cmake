# Included from tests/CMakeLists.txt: command-line behaviour tests, label `cli`. Each
# tests/cli/<name>.sh is one test, cli.<name>, run by bash as
#   <name>.sh CREDO SOURCE_DIR WORK_DIR
# with tests/cli/lib.sh for the shared checks. A script that needs longer than 120 s on a loaded
# machine says so in a line `# ctest-timeout: SECONDS`. They need bash and coreutils (mkfifo, timeout).
file(GLOB cli_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/cli/*.sh)
list(FILTER cli_tests EXCLUDE REGEX "/lib\\.sh$")
list(SORT cli_tests)
foreach(script IN LISTS cli_tests)
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME cli.${name} COMMAND bash ${script} $<TARGET_FILE:credo> ${PROJECT_SOURCE_DIR}
           ${CMAKE_CURRENT_BINARY_DIR}/cli/${name})
  file(STRINGS ${script} timeout_line REGEX "^# ctest-timeout: [0-9]+$" LIMIT_COUNT 1)
  set(timeout 120)
  if(timeout_line)
    string(REGEX REPLACE "^# ctest-timeout: " "" timeout "${timeout_line}")
  endif()
  set_tests_properties(cli.${name} PROPERTIES LABELS cli TIMEOUT ${timeout})
  file(STRINGS ${script} lock_line REGEX "^# ctest-lock: [a-z_-]+$" LIMIT_COUNT 1)
  if(lock_line)
    string(REGEX REPLACE "^# ctest-lock: " "" lock "${lock_line}")
    set_tests_properties(cli.${name} PROPERTIES RESOURCE_LOCK ${lock})
  endif()
  if(CREDO_SANITIZE)  # AddressSanitizer reserves terabytes of shadow memory: no `ulimit -v` under it
    set_property(TEST cli.${name} APPEND PROPERTY ENVIRONMENT CREDO_SANITIZED=1)
  endif()
endforeach()
