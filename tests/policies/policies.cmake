# Included from tests/CMakeLists.txt (in that directory's scope): policies other than SME credit
# v1 run on committed data, and the golden run cases. Every test runs credo once and compares
# its output and rejects files byte for byte with committed expected files (check_files.cmake);
# none needs Python: the expected files are committed. A file expected-<name>.csv next to a
# case's expected.csv is its per-group output <name>, compared too (--output <name>=...).
#
#   policy.<name>.<engine>     label `policy`: policies/<name>.credo on tests/policies/<name>/
#                              input.csv; expected.csv and rejects.csv (detail column included)
#                              come from oracle.py there.
#   golden.run.<case>.<engine> label `golden`: tests/golden/run/<case>/{policy.credo,input.csv,
#                              expected.csv,rejects.csv}, small hand-verified cases. Each runs
#                              on one thread, and again as golden.run.<case>.<engine>.threads2
#                              on two threads
#                              with batches of two records (several batches in flight, the
#                              group pass split over threads): the files must not change.
#                              A file expected-<name>.csv in the case is the expected
#                              per-group output <name> (`output <name> per group`), asked
#                              for with --output and compared too.
# Each runs on both engines (interp, jit), which must give identical files.

set(CREDO_CHECK_FILES ${CMAKE_CURRENT_SOURCE_DIR}/oracle/check_files.cmake)

set(CREDO_ENGINES interp jit)

# The per-group outputs a case expects: each file expected-<name>.csv in `dir` is output <name>
# (`output <name> per group`), as one argument for check_files.cmake's EXTRA_OUTPUTS.
function(credo_extra_outputs dir out_var)
  file(GLOB files CONFIGURE_DEPENDS ${dir}/expected-*.csv)
  list(SORT files)
  set(extra "")
  foreach(file IN LISTS files)
    get_filename_component(file_name ${file} NAME_WE)
    string(REGEX REPLACE "^expected-" "" output_name "${file_name}")
    list(APPEND extra "${output_name}=${file}")
  endforeach()
  string(REPLACE ";" "|" extra "${extra}")  # one argument: check_files.cmake splits at '|'
  set(${out_var} "${extra}" PARENT_SCOPE)
endfunction()

foreach(policy retail-card-v1 account-review-v1
               limit-review-v1 early-warning-v1 retail-woe-v1 approval-authority-v1)
  set(dir ${CMAKE_CURRENT_SOURCE_DIR}/policies/${policy})
  credo_extra_outputs(${dir} extra)
  foreach(engine IN LISTS CREDO_ENGINES)
    add_test(NAME policy.${policy}.${engine} COMMAND ${CMAKE_COMMAND} -DCREDO=$<TARGET_FILE:credo>
      -DPOLICY=${PROJECT_SOURCE_DIR}/policies/${policy}.credo
      -DINPUT=${dir}/input.csv -DEXPECTED=${dir}/expected.csv -DEXPECTED_REJECTS=${dir}/rejects.csv
      -DWORK=${CMAKE_CURRENT_BINARY_DIR}/policies -DNAME=${policy} -DENGINE=${engine}
      "-DEXTRA_OUTPUTS=${extra}" -P ${CREDO_CHECK_FILES})
    set_tests_properties(policy.${policy}.${engine} PROPERTIES LABELS policy)
  endforeach()
endforeach()

# Group exposure v1 reads reference data (references.txt: the credit ledger, twice, the group
# limits and the watch list); its rejected reference rows are compared too.
set(dir ${CMAKE_CURRENT_SOURCE_DIR}/policies/group-exposure-v1)
file(STRINGS ${dir}/references.txt ref_lines REGEX "^[a-z_0-9]+=")  # NAME=FILE, files in ${dir}
set(refs "")
foreach(line IN LISTS ref_lines)
  string(REPLACE "=" "=${dir}/" line "${line}")
  list(APPEND refs "${line}")
endforeach()
string(REPLACE ";" "|" refs "${refs}")
foreach(engine IN LISTS CREDO_ENGINES)
  foreach(threads 1 2)
    set(test policy.group-exposure-v1.${engine})
    set(batch "")
    if(threads EQUAL 2)
      set(test ${test}.threads2)
      set(batch 7)
    endif()
    add_test(NAME ${test} COMMAND ${CMAKE_COMMAND} -DCREDO=$<TARGET_FILE:credo>
      -DPOLICY=${PROJECT_SOURCE_DIR}/policies/group-exposure-v1.credo
      -DINPUT=${dir}/input.csv -DEXPECTED=${dir}/expected.csv -DEXPECTED_REJECTS=${dir}/rejects.csv
      -DWORK=${CMAKE_CURRENT_BINARY_DIR}/policies -DNAME=group-exposure-v1 -DENGINE=${engine}
      -DTHREADS=${threads} -DBATCH=${batch} "-DREFS=${refs}" -DEXPECTED_REF_REJECTS=${dir}/ref-rejects.csv -DSTRIP_DETAIL=1
      -P ${CREDO_CHECK_FILES})
    set_tests_properties(${test} PROPERTIES LABELS policy)
  endforeach()
endforeach()

# One test per case directory (CONFIGURE_DEPENDS: a new case is picked up by the next build).
file(GLOB golden_run_policies CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/golden/run/*/policy.credo)
list(SORT golden_run_policies)
foreach(policy_file IN LISTS golden_run_policies)
  get_filename_component(dir ${policy_file} DIRECTORY)
  get_filename_component(case ${dir} NAME)
  credo_extra_outputs(${dir} extra)
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
        -DTHREADS=${threads} -DBATCH=${batch} "-DEXTRA_OUTPUTS=${extra}" -P ${CREDO_CHECK_FILES})
      set_tests_properties(${test} PROPERTIES LABELS golden)
    endforeach()
  endforeach()
endforeach()

# Two runs of the harness above at once in one WORK directory, as when two ctest runs share a
# build tree: each writes into a directory of its own (tests/oracle/run_dir.cmake), so neither
# removes or overwrites the other's files.
add_test(NAME golden.harness.concurrent_runs COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/oracle/concurrent_runs.sh
  ${CMAKE_COMMAND} $<TARGET_FILE:credo> ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/harness/concurrent_runs)
set_tests_properties(golden.harness.concurrent_runs PROPERTIES LABELS golden)
