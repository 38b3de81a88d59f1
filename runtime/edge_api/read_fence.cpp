#include "runtime/edge_api/read_fence.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "runtime/atoms.hpp"

namespace taskflow::runtime {

// One client's wait; it travels between the pool and the timer actor.
struct fence_wait {
  read_position position;
  std::chrono::steady_clock::time_point until;
  std::function<void(bool)> done;
};

}  // namespace taskflow::runtime

// Waits carry callbacks and only ever travel inside one process.
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::shared_ptr<taskflow::runtime::fence_wait>)

namespace taskflow::runtime {
namespace {

// The projector usually catches up within milliseconds: look again soon.
constexpr auto recheck_after = std::chrono::milliseconds{5};

bool holds(const ports::view_mark& mark, const read_position& at) {
  return at.deleted ? mark.deleted : mark.version >= at.version;
}

void check(ports::blocking_executor& pool, const std::shared_ptr<ports::read_model_store>& read_model,
           const caf::actor& timer, std::shared_ptr<fence_wait> wait) {
  auto posted = pool.post([read_model, timer, wait] {
    auto mark = read_model->view_mark_of(wait->position.task_id);
    if (!mark)
      return wait->done(false);
    if (holds(*mark, wait->position))
      return wait->done(true);
    if (std::chrono::steady_clock::now() + recheck_after >= wait->until)
      return wait->done(false);
    caf::delayed_anon_send(timer, recheck_after, tick_atom::value, wait);
  });
  if (!posted)
    wait->done(false);
}

// Between two checks a wait sits in this actor's timer, not on a thread.
caf::behavior fence_timer(caf::event_based_actor* self, ports::blocking_executor* pool,
                          std::shared_ptr<ports::read_model_store> read_model) {
  return {
      [self, pool, read_model](tick_atom, std::shared_ptr<fence_wait>& wait) {
        check(*pool, read_model, caf::actor_cast<caf::actor>(self), std::move(wait));
      },
  };
}

}  // namespace

read_fence::read_fence(caf::actor_system& system, ports::blocking_executor& pool,
                       std::shared_ptr<ports::read_model_store> read_model)
    : pool_(pool), read_model_(std::move(read_model)), timer_(system.spawn(fence_timer, &pool_, read_model_)) {}

read_fence::~read_fence() {
  caf::anon_send_exit(timer_, caf::exit_reason::user_shutdown);
}

void read_fence::await(read_position position, std::chrono::milliseconds wait, std::function<void(bool)> done) {
  check(pool_, read_model_, timer_,
        std::make_shared<fence_wait>(
            fence_wait{std::move(position), std::chrono::steady_clock::now() + wait, std::move(done)}));
}

}  // namespace taskflow::runtime
