# Coverage build (-DTASKFLOW_COVERAGE=ON, tools/coverage): every object
# carries gcov's arc counters, and each process that exits normally merges
# its counts into the .gcda files next to the objects, where gcovr reads them
# (docs/reliability.md, "Coverage").
if(NOT TASKFLOW_COVERAGE)
  return()
endif()
if(TASKFLOW_SANITIZE OR TASKFLOW_SANITIZE_THREAD)
  message(FATAL_ERROR "TASKFLOW_COVERAGE is measured on an uninstrumented build: turn the sanitizers off")
endif()

# -O0: optimised code merges and drops lines, so gcov would count lines as
# missed that ran. Atomic counter updates: the node and CAF's tests bump the
# same counters from several threads, and plain increments lose some of them.
add_compile_options(--coverage -O0 -g -fprofile-update=atomic)
add_link_options(--coverage)

# The node writes its counts while it runs too (coverage_flush.cpp). Linked
# once the taskflow target exists, at the end of the top-level CMakeLists.txt.
add_library(taskflow_coverage_flush OBJECT ${CMAKE_CURRENT_LIST_DIR}/coverage_flush.cpp)
target_link_libraries(taskflow_coverage_flush PRIVATE Threads::Threads)
cmake_language(DEFER DIRECTORY ${PROJECT_SOURCE_DIR} CALL target_link_libraries taskflow PRIVATE
               taskflow_coverage_flush)
