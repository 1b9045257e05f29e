# Included from tests/CMakeLists.txt: the language server and the editor grammar, label `lsp`.
#   lsp.client   a scripted LSP client (tests/lsp/lsp_client.py) drives `credo lsp` over pipes
#   lsp.grammar  editors/credo.tmLanguage.json parses, its regexes compile, it knows every keyword
find_program(PYTHON3 python3)
if(NOT PYTHON3)
  message(WARNING "python3 not found: the lsp.* tests are not registered")
  return()
endif()
add_test(NAME lsp.client COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/lsp/lsp_client.py $<TARGET_FILE:credo>
         ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/lsp/client)
add_test(NAME lsp.grammar COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/lsp/check_grammar.py ${PROJECT_SOURCE_DIR})
set_tests_properties(lsp.client lsp.grammar PROPERTIES LABELS lsp TIMEOUT 60)
