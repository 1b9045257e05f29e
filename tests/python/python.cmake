# Included from tests/CMakeLists.txt when the Python module is built (python/): the module and
# credo.dask tested with the system Python, PYTHONPATH pointing at the build's python/ folder.
foreach(name module references dask)
  add_test(NAME python.${name}
           COMMAND ${PYTHON_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/python/test_${name}.py $<TARGET_FILE:credo>
                   ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/python/${name})
  set_tests_properties(python.${name} PROPERTIES LABELS python SKIP_RETURN_CODE 77 TIMEOUT 120
                       ENVIRONMENT "PYTHONPATH=${CREDO_PYTHON_DIR};PYTHONDONTWRITEBYTECODE=1")
endforeach()
