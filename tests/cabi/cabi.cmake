# Included from tests/CMakeLists.txt: the C ABI (include/credo/credo.h) and its C example.
#
#   cabi.example        examples/c-arrow (C11) built against the credo library, run on the
#                       repository's policies; its output must equal examples/c-arrow/expected-output.txt.
#   cabi.example.installed  the same, built as an outside project against an installed credo.
#   cabi.example.asan   the same example, built with the C ABI under ASan and UBSan.
#   cabi.abi.asan       tests/cabi/cabi_test.cc under ASan and UBSan (leak checks on): every type,
#                       errors, releases, and equality with credo run on all 7 policies' data.
#
# The sanitized builds compile the C ABI and everything of credo that runs per record with
# -fsanitize=address,undefined: api/ (compile, describe, the C ABI), runtime/ (Arrow conversion,
# the batch run, parsing, text and decimal kernels, the interpreter's and the JIT's runtime
# helpers). The front end and the engines (compiler/, LLVM) are linked uninstrumented: ASan still
# sees every allocation they make (leaks included), not their reads and writes.
enable_language(C)

add_executable(c_arrow_example ${PROJECT_SOURCE_DIR}/examples/c-arrow/main.c)
set_target_properties(c_arrow_example PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(c_arrow_example PRIVATE -Wall -Wextra -pedantic)
target_link_libraries(c_arrow_example PRIVATE credo::credo)

set(CABI_EXPECTED ${PROJECT_SOURCE_DIR}/examples/c-arrow/expected-output.txt)
add_test(NAME cabi.example COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:c_arrow_example>
         -DARGS=${PROJECT_SOURCE_DIR}/policies -DEXPECTED=${CABI_EXPECTED}
         -P ${CMAKE_CURRENT_SOURCE_DIR}/cabi/compare_output.cmake)

# ---- the sanitized build -----------------------------------------------------------------------
set(CABI_SANITIZE -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
set(CABI_ASAN_SOURCES "")
get_target_property(api_sources credo_api_objects SOURCES)
foreach(source IN LISTS api_sources)
  list(APPEND CABI_ASAN_SOURCES ${PROJECT_SOURCE_DIR}/api/${source})
endforeach()
foreach(lib credo_runtime_core credo_runtime_io credo_runtime_exec credo_runtime_arrow)
  get_target_property(lib_sources ${lib} SOURCES)
  foreach(source IN LISTS lib_sources)
    list(APPEND CABI_ASAN_SOURCES ${PROJECT_SOURCE_DIR}/runtime/${source})
  endforeach()
endforeach()
add_library(credo_cabi_asan OBJECT ${CABI_ASAN_SOURCES})
target_compile_options(credo_cabi_asan PRIVATE ${CABI_SANITIZE})
target_compile_definitions(credo_cabi_asan PRIVATE CREDO_IMPLEMENTATION CREDO_VERSION="${PROJECT_VERSION}")
target_include_directories(credo_cabi_asan PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(credo_cabi_asan PRIVATE credo_explain credo_driver credo_jit nlohmann_json::nlohmann_json fmt::fmt)

# The uninstrumented rest: the linker takes from these archives only what the objects above do not
# define, so every runtime symbol resolves to its sanitized copy.
set(CABI_ASAN_LINK $<TARGET_OBJECTS:credo_cabi_asan> credo_explain credo_driver credo_jit fmt::fmt)

add_executable(c_arrow_example_asan ${PROJECT_SOURCE_DIR}/examples/c-arrow/main.c)
set_target_properties(c_arrow_example_asan PROPERTIES C_STANDARD 11 LINKER_LANGUAGE CXX)
target_include_directories(c_arrow_example_asan PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_options(c_arrow_example_asan PRIVATE ${CABI_SANITIZE})
target_link_options(c_arrow_example_asan PRIVATE -fsanitize=address,undefined)
target_link_libraries(c_arrow_example_asan PRIVATE ${CABI_ASAN_LINK})

add_executable(credo_cabi_test_asan cabi/cabi_test.cc cabi/csv_equal.cc cabi/csv_to_arrow.cc)
target_include_directories(credo_cabi_test_asan PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include)
target_compile_options(credo_cabi_test_asan PRIVATE ${CABI_SANITIZE} ${CREDO_WARNINGS})
target_link_options(credo_cabi_test_asan PRIVATE -fsanitize=address,undefined)
target_link_libraries(credo_cabi_test_asan PRIVATE ${CABI_ASAN_LINK})

add_test(NAME cabi.example.asan COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:c_arrow_example_asan>
         -DARGS=${PROJECT_SOURCE_DIR}/policies -DEXPECTED=${CABI_EXPECTED}
         -P ${CMAKE_CURRENT_SOURCE_DIR}/cabi/compare_output.cmake)
add_test(NAME cabi.abi.asan COMMAND credo_cabi_test_asan ${PROJECT_SOURCE_DIR})
set(CABI_ASAN_ENV "ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1" "UBSAN_OPTIONS=print_stacktrace=1")
set_tests_properties(cabi.example cabi.example.asan cabi.abi.asan PROPERTIES LABELS cabi)
set_tests_properties(cabi.example.asan cabi.abi.asan PROPERTIES ENVIRONMENT "${CABI_ASAN_ENV}" TIMEOUT 120)

# The example as an outside project builds it, against an installed credo.
add_test(NAME cabi.example.installed COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cabi/installed_example.sh
         ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cabi/installed)
set_tests_properties(cabi.example.installed PROPERTIES LABELS cabi TIMEOUT 300 RESOURCE_LOCK credo_install)
