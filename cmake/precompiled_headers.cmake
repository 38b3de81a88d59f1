# Precompiled headers. Most translation units parse the same third-party
# headers (CAF in half of them, protobuf's runtime in more, Beast in the edge,
# Catch2 in every test), and parsing them is most of a compile. Each kind below
# compiles them once per build directory; every target of that kind reuses the
# result (REUSE_FROM), so a build compiles three precompiled headers, not one
# per target. Only third-party headers belong here: a change to one of ours
# would rebuild everything. A source must still name what it includes: the
# header makes a forgotten include compile, it does not make it right.
option(TASKFLOW_PCH "Precompile the third-party headers most sources include" ON)

set(taskflow_pch_core
  <algorithm> <chrono> <functional> <map> <memory> <mutex> <optional> <string>
  <string_view> <unordered_map> <utility> <variant> <vector>
  <caf/actor.hpp> <caf/actor_system.hpp> <caf/actor_system_config.hpp> <caf/behavior.hpp>
  <caf/error.hpp> <caf/event_based_actor.hpp> <caf/expected.hpp> <caf/sec.hpp>
  <caf/send.hpp> <caf/stateful_actor.hpp>
  <google/protobuf/message.h> <google/protobuf/generated_message_reflection.h>
  <nlohmann/json.hpp>)
set(taskflow_pch_edge ${taskflow_pch_core}
  <boost/asio/ip/tcp.hpp> <boost/beast/core.hpp> <boost/beast/http.hpp>)
set(taskflow_pch_tests ${taskflow_pch_edge} <catch2/catch.hpp>)

# taskflow_pch_<kind>: an object library that owns the kind's precompiled
# header. Its flags are everyone's (taskflow_warnings and the build type's),
# which is what reusing a GCC precompiled header requires.
function(taskflow_define_pch kind)
  set(target taskflow_pch_${kind})
  set(anchor ${CMAKE_BINARY_DIR}/pch/${kind}.cpp)
  file(CONFIGURE OUTPUT ${anchor} CONTENT "// Anchors the ${kind} precompiled header; compiles to nothing.\n")
  add_library(${target} OBJECT ${anchor})
  target_link_libraries(${target} PRIVATE taskflow_warnings)
  if(kind STREQUAL "tests")
    target_link_libraries(${target} PRIVATE Catch2::Catch2)
  endif()
  target_precompile_headers(${target} PRIVATE ${taskflow_pch_${kind}})
endfunction()

# taskflow_use_pch(<target> core|edge|tests)
function(taskflow_use_pch target kind)
  if(TASKFLOW_PCH)
    target_precompile_headers(${target} REUSE_FROM taskflow_pch_${kind})
  endif()
endfunction()

if(TASKFLOW_PCH)
  taskflow_define_pch(core)
  taskflow_define_pch(edge)
endif()
