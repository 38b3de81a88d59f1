// Which kind of thread the caller runs on. The runtime's first rule is that
// no scheduler thread — a CAF worker or an HTTP I/O thread — ever waits on a
// store: those threads serve thousands of actors and connections, and one
// blocked call stalls them all. The runtime names its threads; the store
// adapters check the name in debug builds, so every suite that runs a debug
// build (the ASan phase of tools/test) proves the rule.
#pragma once

#include <cstdint>

namespace taskflow::ports {

enum class thread_role : std::uint8_t {
  unnamed,    // main, tests, a driver's own threads, the blocking pools
  scheduler,  // CAF worker, timer or middleman thread
  http_io,    // Beast I/O
};

void set_thread_role(thread_role role);
thread_role current_thread_role();

// Aborts with a message naming `call` when a debug build makes a blocking
// call on a scheduler or HTTP I/O thread; does nothing in release builds.
void expect_blocking_allowed(const char* call);

}  // namespace taskflow::ports
