# Included from tests/CMakeLists.txt: `credo doc --html` of every policy loaded in headless
# Chromium (no console errors, the expected tables in the DOM). Skips, saying so, without Chromium.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND)
  add_test(NAME doc.browser COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/doc/browser_test.py
           $<TARGET_FILE:credo> ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/doc/browser)
  set_tests_properties(doc.browser PROPERTIES LABELS doc TIMEOUT 60 SKIP_RETURN_CODE 77)
endif()
