# Included from tests/CMakeLists.txt: `credo check` stays linear in declarations and diagnostics
# (label `scale`). Each test checks a generated policy; a quadratic check takes minutes there and
# fails the TIMEOUT, a linear one a few seconds (figures in docs/performance.md).
foreach(kind_blocks lets:256 unknown_names:128)
  string(REPLACE ":" ";" kb "${kind_blocks}")
  list(GET kb 0 kind)
  list(GET kb 1 blocks)
  add_test(NAME scale.check_many_${kind} COMMAND ${CMAKE_COMMAND} -DCREDO=$<TARGET_FILE:credo>
    -DWORK=${CMAKE_CURRENT_BINARY_DIR}/scale -DKIND=${kind} -DBLOCKS=${blocks}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/scale/check_many.cmake)
  set_tests_properties(scale.check_many_${kind} PROPERTIES LABELS scale TIMEOUT 60)
endforeach()
