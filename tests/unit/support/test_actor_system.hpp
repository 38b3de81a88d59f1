// A small CAF actor system for unit tests, with TaskFlow's message types
// registered, a helper to wait for a condition without fixed sleeps, and one
// to stop an actor before what it points to goes.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/after.hpp>
#include <caf/exit_reason.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include "messages/caf_types.hpp"

namespace taskflow::testing {

struct test_config : caf::actor_system_config {
  test_config() {
    messages::register_message_types(*this);
    set("scheduler.max-threads", std::size_t{4});
    set("logger.console-verbosity", caf::atom("quiet"));
    set("logger.file-verbosity", caf::atom("quiet"));
  }
};

// Polls `condition` until it holds or `limit` passes; returns its last value.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::seconds{5}) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  return true;
}

// Kills `actor` (no exit handler can hold it up) and waits until it is
// gone, at most `limit`: its deps, which a test owns, may go next.
inline void stop_actor(caf::actor_system& system, const caf::actor& actor,
                       std::chrono::milliseconds limit = std::chrono::seconds{5}) {
  if (!actor)
    return;
  caf::scoped_actor self{system};
  self->monitor(actor);
  caf::anon_send_exit(actor, caf::exit_reason::kill);
  self->receive([](const caf::down_msg&) {}, caf::after(limit) >> [] {});
}

}  // namespace taskflow::testing
