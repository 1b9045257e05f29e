# Included from tests/CMakeLists.txt (in that directory's scope): policies other than SME credit
# v1 run on committed data, and the golden run cases. Every test runs credo once and compares
# its output and rejects files byte for byte with committed expected files (check_files.cmake);
# none needs Python: the expected files are committed.
#
#   policy.<name>.<engine>     label `policy`: policies/<name>.credo on tests/policies/<name>/
#                              input.csv; expected.csv and rejects.csv come from oracle.py there.
#   golden.run.<case>.<engine> label `golden`: tests/golden/run/<case>/{policy.credo,input.csv,
#                              expected.csv,rejects.csv}, small hand-verified cases. Each runs
#                              on one thread, and again as golden.run.<case>.<engine>.threads2
#                              on two threads
#                              with batches of two records (several batches in flight, the
#                              group pass split over threads): the files must not change.
# Each runs on both engines (interp, jit), which must give identical files.

set(CREDO_CHECK_FILES ${CMAKE_CURRENT_SOURCE_DIR}/oracle/check_files.cmake)

set(CREDO_ENGINES interp jit)

# A file expected-<output>.csv next to a policy's expected.csv is the expected file of its
# further output <output> (`output <output> per group ...`, e.g. early-warning-v1's groups): the
# test asks for it with --output <output>=... and compares it too (EXTRA_OUTPUTS of
# check_files.cmake, entries joined by '|').
foreach(policy retail-card-v1 account-review-v1
               limit-review-v1 early-warning-v1 retail-woe-v1 approval-authority-v1)
  set(dir ${CMAKE_CURRENT_SOURCE_DIR}/policies/${policy})
  file(GLOB extra_expected CONFIGURE_DEPENDS ${dir}/expected-*.csv)
  list(SORT extra_expected)
  set(extra "")
  foreach(file IN LISTS extra_expected)
    get_filename_component(file_name ${file} NAME_WE)
    string(REGEX REPLACE "^expected-" "" output_name "${file_name}")
    list(APPEND extra "${output_name}=${file}")
  endforeach()
  string(REPLACE ";" "|" extra "${extra}")
  foreach(engine IN LISTS CREDO_ENGINES)
    add_test(NAME policy.${policy}.${engine} COMMAND ${CMAKE_COMMAND} -DCREDO=$<TARGET_FILE:credo>
      -DPOLICY=${PROJECT_SOURCE_DIR}/policies/${policy}.credo
      -DINPUT=${dir}/input.csv -DEXPECTED=${dir}/expected.csv -DEXPECTED_REJECTS=${dir}/rejects.csv
      -DWORK=${CMAKE_CURRENT_BINARY_DIR}/policies -DNAME=${policy} -DENGINE=${engine} "-DEXTRA_OUTPUTS=${extra}"
      -P ${CREDO_CHECK_FILES})
    set_tests_properties(policy.${policy}.${engine} PROPERTIES LABELS policy)
  endforeach()
endforeach()

# One test per case directory (CONFIGURE_DEPENDS: a new case is picked up by the next build).
file(GLOB golden_run_policies CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/golden/run/*/policy.credo)
list(SORT golden_run_policies)
foreach(policy_file IN LISTS golden_run_policies)
  get_filename_component(dir ${policy_file} DIRECTORY)
  get_filename_component(case ${dir} NAME)
  foreach(engine IN LISTS CREDO_ENGINES)
    foreach(threads 1 2)
      set(test golden.run.${case}.${engine})
      set(batch "")
      if(threads EQUAL 2)
        set(test ${test}.threads2)
        set(batch 2)
      endif()
      add_test(NAME ${test} COMMAND ${CMAKE_COMMAND} -DCREDO=$<TARGET_FILE:credo>
        -DPOLICY=${policy_file}
        -DINPUT=${dir}/input.csv -DEXPECTED=${dir}/expected.csv -DEXPECTED_REJECTS=${dir}/rejects.csv
        -DWORK=${CMAKE_CURRENT_BINARY_DIR}/golden-run -DNAME=${case} -DENGINE=${engine}
        -DTHREADS=${threads} -DBATCH=${batch} -P ${CREDO_CHECK_FILES})
      set_tests_properties(${test} PROPERTIES LABELS golden)
    endforeach()
  endforeach()
endforeach()
