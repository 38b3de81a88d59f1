// Port: where blocking calls run. Store drivers (libpqxx, SQLite) wait on
// I/O, so they never run on a CAF worker or an HTTP I/O thread; callers hand
// them to this executor's bounded pool and continue when the result comes
// back (see actors/shell/serial_jobs.hpp for how an actor does that).
#pragma once

#include <functional>

#include <caf/error.hpp>

#include "actors/ports/store_error.hpp"

namespace taskflow::ports {

// What a caller tells its client when post() refused.
inline constexpr const char* pool_full_detail = "The node is overloaded: too many store calls wait.";

inline caf::error pool_full_error() {
  return make_error(store_errc::unavailable, pool_full_detail);
}

class blocking_executor {
public:
  virtual ~blocking_executor() = default;

  // Queues `work` for a pool thread. False when the pool's queue is full:
  // the caller answers "unavailable" instead of queueing without bound.
  [[nodiscard]] virtual bool post(std::function<void()> work) = 0;
};

}  // namespace taskflow::ports
