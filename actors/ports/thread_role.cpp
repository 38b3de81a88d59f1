#include "actors/ports/thread_role.hpp"

#include <cstdio>
#include <cstdlib>

namespace taskflow::ports {
namespace {

thread_local thread_role current = thread_role::unnamed;

}  // namespace

void set_thread_role(thread_role role) {
  current = role;
}

thread_role current_thread_role() {
  return current;
}

void expect_blocking_allowed([[maybe_unused]] const char* call) {
#ifndef NDEBUG
  if (current != thread_role::unnamed) {
    std::fprintf(stderr, "taskflow: blocking %s call on a %s thread\n", call,
                 current == thread_role::scheduler ? "CAF scheduler" : "HTTP I/O");
    std::abort();
  }
#endif
}

}  // namespace taskflow::ports
