// How the runtime names the threads that must never block, so the store
// adapters can refuse to run on them in debug builds
// (actors/ports/thread_role.hpp): every thread the actor system starts
// (workers, its timer, the middleman's) and the HTTP I/O threads.
#pragma once

#include <caf/thread_hook.hpp>

#include "actors/ports/thread_role.hpp"

namespace taskflow::runtime {

class scheduler_thread_role final : public caf::thread_hook {
public:
  void init(caf::actor_system&) override {}
  void thread_started() override { ports::set_thread_role(ports::thread_role::scheduler); }
  void thread_terminates() override {}
};

inline void name_http_io_thread() {
  ports::set_thread_role(ports::thread_role::http_io);
}

}  // namespace taskflow::runtime
