# Included from tests/CMakeLists.txt: `credo serve` and `credo replay`, label `serve`. Each test
# (tests/serve/NAME.py, stdlib Python) starts its own server on a free loopback port and stops
# it at the end, whatever happens (an alarm kills it when a test runs too long).
if(CREDO_HAVE_SERVE)
  add_executable(credo_serve_tests unit/main.cc serve/test_decision_log.cc)
  target_link_libraries(credo_serve_tests PRIVATE credo_serve Catch2::Catch2)
  target_compile_options(credo_serve_tests PRIVATE ${CREDO_WARNINGS})
  catch_discover_tests(credo_serve_tests PROPERTIES LABELS serve)  # (one label: Catch2 v2 splits a list)
endif()
find_program(PYTHON3 python3)
if(NOT PYTHON3 OR NOT CREDO_HAVE_SERVE)
  message(STATUS "serve.* tests not registered (python3 or cpp-httplib missing)")
  return()
endif()
foreach(name endpoints bad_requests reload decision_log shutdown references)
  add_test(NAME serve.${name} COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/serve/${name}.py $<TARGET_FILE:credo>
           ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/serve/${name})
  set_tests_properties(serve.${name} PROPERTIES LABELS serve TIMEOUT 150)
endforeach()
