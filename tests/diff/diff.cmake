# Differential tests of the interpreter against the JIT (label: diff), and credo-fuzz for long
# runs. Included from tests/CMakeLists.txt, so CMAKE_CURRENT_SOURCE_DIR is tests/.

# The AST oracle: a tree-walking evaluator over the checked AST, the differential runs' third
# party (no IR, lowering or engine: only the parser, the checker and the runtime's kernels).
add_library(credo_ast_oracle STATIC ${CMAKE_CURRENT_SOURCE_DIR}/diff/ast_oracle.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/ast_oracle_blocks.cc ${CMAKE_CURRENT_SOURCE_DIR}/diff/ast_oracle_group.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/oracle_eval.cc ${CMAKE_CURRENT_SOURCE_DIR}/diff/oracle_text.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/oracle_tables.cc)
target_link_libraries(credo_ast_oracle PUBLIC credo_check PRIVATE credo_syntax credo_runtime_io)
target_compile_options(credo_ast_oracle PRIVATE ${CREDO_WARNINGS})

# The policy generator (policy_gen.h; PolicyGen in policy_gen_impl.h and policy_gen_*.cc, its
# parts in gen_*.cc) and the differential run.
add_library(credo_diff_support STATIC ${CMAKE_CURRENT_SOURCE_DIR}/diff/policy_gen.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/policy_gen_values.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/policy_gen_conditions.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/policy_gen_declarations.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/policy_gen_scorecards.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/policy_gen_tables.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/policy_gen_decision.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/policy_gen_records.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/policy_gen_large.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/differential_run.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/gen_outputs.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/gen_reuse.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/gen_lists.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/gen_exprs.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/gen_woe.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/gen_tables.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/gen_references.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/oracle_diff.cc)
target_link_libraries(credo_diff_support PUBLIC credo_driver credo_runtime_exec credo_jit credo_ast_oracle)
target_compile_options(credo_diff_support PRIVATE ${CREDO_WARNINGS})

add_executable(credo_diff_tests ${CMAKE_CURRENT_SOURCE_DIR}/unit/main.cc ${CMAKE_CURRENT_SOURCE_DIR}/diff/diff_test.cc
  ${CMAKE_CURRENT_SOURCE_DIR}/diff/oracle_test.cc)
target_link_libraries(credo_diff_tests PRIVATE credo_diff_support Catch2::Catch2)
# Disagreements of the random run go to the build tree: the replay of tests/diff/regressions/
# may run at the same time (ctest -j), and a failing run must not write into the sources.
target_compile_definitions(credo_diff_tests PRIVATE CREDO_SOURCE_DIR="${CMAKE_CURRENT_SOURCE_DIR}/.."
  CREDO_DIFF_FAILURES_DIR="${CMAKE_CURRENT_BINARY_DIR}/diff-failures")
catch_discover_tests(credo_diff_tests PROPERTIES LABELS diff)

add_executable(credo-fuzz ${CMAKE_CURRENT_SOURCE_DIR}/diff/fuzz_main.cc)
target_link_libraries(credo-fuzz PRIVATE credo_diff_support)
target_compile_options(credo-fuzz PRIVATE ${CREDO_WARNINGS})

# A rule book too large for O2 (2,000 rules, 200 characteristics: the JIT's short pipeline) must
# still agree with the interpreter.
add_test(NAME diff.large_policy COMMAND credo-fuzz --large --rules 2000 --characteristics 200 --records 1000)
set_tests_properties(diff.large_policy PROPERTIES LABELS diff)
