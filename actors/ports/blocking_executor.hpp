// Port: where blocking calls run. Store drivers (libpqxx, SQLite) wait on
// I/O, so they never run on a CAF worker or an HTTP I/O thread; callers hand
// them to this executor's bounded pool and continue when the result comes
// back (see actors/shell/serial_jobs.hpp for how an actor does that).
#pragma once

#include <functional>

namespace taskflow::ports {

class blocking_executor {
public:
  virtual ~blocking_executor() = default;

  // Queues `work` for a pool thread. False when the pool's queue is full:
  // the caller answers "unavailable" instead of queueing without bound.
  [[nodiscard]] virtual bool post(std::function<void()> work) = 0;
};

}  // namespace taskflow::ports
