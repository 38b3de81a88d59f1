// A small CAF actor system for unit tests, with TaskFlow's message types
// registered, and a helper to wait for a condition without fixed sleeps.
#pragma once

#include <chrono>
#include <functional>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

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

}  // namespace taskflow::testing
