# Passed by scripts/bench as -DCMAKE_PROJECT_warsearch_INCLUDE=.../inject.cmake together with
# -DWARSEARCH_QUERY_BENCH_DIR=.../tests/bench when it configures a Release build without
# tests: defines the query_bench target (tests/bench/CMakeLists.txt) once the top-level
# directory has defined the libraries, without touching the project's own CMakeLists.txt.
# (CMAKE_CURRENT_LIST_DIR is not this file's directory here, hence the explicit variable.)
if(NOT WARSEARCH_BUILD_TESTS AND DEFINED WARSEARCH_QUERY_BENCH_DIR)
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR}
                 CALL include ${WARSEARCH_QUERY_BENCH_DIR}/CMakeLists.txt)
endif()
