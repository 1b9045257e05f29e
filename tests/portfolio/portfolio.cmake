# Included from tests/CMakeLists.txt: the HTML pages of `credo compare --report` and `credo report`
# loaded in headless Chromium (no console errors, every chart drawn). Skips without Chromium.
find_package(Python3 COMPONENTS Interpreter)
if(Python3_FOUND AND TARGET credo-gen-sme)
  add_test(NAME portfolio.browser COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/portfolio/report_browser.py
           $<TARGET_FILE:credo> $<TARGET_FILE:credo-gen-sme> ${PROJECT_SOURCE_DIR}
           ${CMAKE_CURRENT_BINARY_DIR}/portfolio/browser)
  set_tests_properties(portfolio.browser PROPERTIES LABELS "portfolio;cli" TIMEOUT 60 SKIP_RETURN_CODE 77)
endif()
