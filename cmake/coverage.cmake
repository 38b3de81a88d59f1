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
