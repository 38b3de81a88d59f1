// Read your own writes: lists come from the read model, which trails the
// writes by the projector's lag, so a client that lists right after writing
// may miss its write. The fence lets the list wait, a bounded while, until
// the projector has passed the write. It checks the read model on the store
// pool and, between checks, waits on a timer actor, so no thread sleeps.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "actors/ports/blocking_executor.hpp"
#include "actors/ports/services/read_model_store.hpp"

namespace taskflow::runtime {

// What a write made of its task: a version of it, or its deletion.
struct read_position {
  std::string task_id;
  std::int64_t version = 0;
  bool deleted = false;
};

class read_fence {
public:
  read_fence(caf::actor_system& system, ports::blocking_executor& pool,
             std::shared_ptr<ports::read_model_store> read_model);
  ~read_fence();
  read_fence(const read_fence&) = delete;
  read_fence& operator=(const read_fence&) = delete;

  // Calls `done(true)` once the read model holds `position`, or `done(false)`
  // when `wait` passes first, the pool is full or the store cannot tell; on a
  // pool thread, or at once on the caller's when the pool is full.
  void await(read_position position, std::chrono::milliseconds wait, std::function<void(bool caught_up)> done);

private:
  ports::blocking_executor& pool_;
  std::shared_ptr<ports::read_model_store> read_model_;
  caf::actor timer_;
};

}  // namespace taskflow::runtime
