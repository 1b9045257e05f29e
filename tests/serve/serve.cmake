# Included from tests/CMakeLists.txt: `credo serve` and `credo replay`, label `serve`. Each test
# (tests/serve/NAME.py, stdlib Python) starts its own server on a free loopback port and stops
# it at the end, whatever happens (an alarm kills it when a test runs too long).
find_program(PYTHON3 python3)
if(NOT PYTHON3 OR NOT CREDO_HAVE_SERVE)
  message(STATUS "serve.* tests not registered (python3 or cpp-httplib missing)")
  return()
endif()
foreach(name endpoints bad_requests reload decision_log shutdown)
  add_test(NAME serve.${name} COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/serve/${name}.py $<TARGET_FILE:credo>
           ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/serve/${name})
  set_tests_properties(serve.${name} PROPERTIES LABELS serve TIMEOUT 150)
endforeach()
