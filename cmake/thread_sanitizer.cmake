# ThreadSanitizer build (-DTASKFLOW_SANITIZE_THREAD=ON, tools/build --tsan):
# the tsan phase of tools/test --all runs the unit and cluster suites on it
# (docs/reliability.md, "ThreadSanitizer"). It cannot be combined with
# TASKFLOW_SANITIZE: ASan and TSan each own the process's shadow memory.
if(NOT TASKFLOW_SANITIZE_THREAD)
  return()
endif()
if(TASKFLOW_SANITIZE)
  message(FATAL_ERROR "TASKFLOW_SANITIZE_THREAD and TASKFLOW_SANITIZE exclude each other")
endif()

# -O1: at -O0 every local lives in memory and each access is instrumented;
# -O1 keeps stacks exact enough for a report. -g1: file:line in every frame.
# -Wno-tsan: GCC warns that TSan does not model std::atomic_thread_fence,
# which Boost.Asio's handler invocation uses (detail/std_fenced_block.hpp).
# Asio's scheduler hands every handler over under a pthread mutex, which
# TSan does see, so the fence adds no edge TSan would miss.
add_compile_options(-fsanitize=thread -O1 -g1 -Wno-tsan)
add_link_options(-fsanitize=thread)

# CAF built with TSan (tools/deps/caf-tsan; Debian's libcaf is not
# instrumented, so TSan would miss every edge its mailboxes and scheduler
# make). Its headers come before /usr/include for every target, the
# precompiled headers' included: its build_config.hpp differs from Debian's.
set(taskflow_caf_tsan ${CMAKE_BINARY_DIR}/caf-tsan)
execute_process(COMMAND ${PROJECT_SOURCE_DIR}/tools/deps/caf-tsan ${taskflow_caf_tsan}
                RESULT_VARIABLE caf_tsan_status)
if(NOT caf_tsan_status EQUAL 0)
  message(FATAL_ERROR "tools/deps/caf-tsan failed (${caf_tsan_status}): the TSan build needs CAF built with TSan")
endif()
find_library(CAF_CORE caf_core_static PATHS ${taskflow_caf_tsan}/lib NO_DEFAULT_PATH REQUIRED)
find_library(CAF_IO caf_io_static PATHS ${taskflow_caf_tsan}/lib NO_DEFAULT_PATH REQUIRED)
include_directories(BEFORE SYSTEM ${taskflow_caf_tsan}/include)

# Every TSan executable (the tests and the taskflow node) carries its default
# options, so a test run by hand reports the same way as under ctest.
add_library(taskflow_tsan_options OBJECT ${CMAKE_CURRENT_LIST_DIR}/tsan_default_options.cpp)
target_compile_definitions(taskflow_tsan_options PRIVATE
                           TASKFLOW_TSAN_SUPPRESSIONS="${PROJECT_SOURCE_DIR}/tests/tsan.supp")
