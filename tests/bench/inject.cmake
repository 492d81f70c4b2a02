# Passed by scripts/bench as -DCMAKE_PROJECT_warsearch_INCLUDE=... when it configures a
# Release build without tests: defines the query_bench target (tests/bench/CMakeLists.txt)
# once the top-level directory has defined the libraries, without touching the project's
# own CMakeLists.txt.
if(NOT WARSEARCH_BUILD_TESTS)
  cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR}
                 CALL include ${CMAKE_CURRENT_LIST_DIR}/CMakeLists.txt)
endif()
