// How an aggregate actor waits for blocking or remote work without blocking
// its scheduler thread and still handles one command at a time, in order:
// each command becomes a job; while one runs, later ones wait here; the
// job's outcome comes back to the actor as a message (`resume`) and runs on
// the actor's own thread, which then starts the next job. Other actors keep
// running meanwhile. A plain job runs whole on the blocking pool; an
// asynchronous one starts on the actor's thread and finishes from whichever
// thread its last step ran on (a store's committer, say).
//
// The data a job touches must outlive the actor (a killed actor's state is
// destroyed while its job may still run), so jobs capture shared ownership
// of it and the actor leaves it alone while a job is in flight.
#pragma once

#include <exception>
#include <functional>
#include <list>
#include <memory>
#include <utility>

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <caf/system_messages.hpp>

#include "actors/ports/blocking_executor.hpp"

namespace taskflow::shell {

// A finished job's continuation, run by the actor that submitted it.
struct resume {
  std::function<void()> run;
};

// Runs on a pool thread; returns what the actor does with the outcome.
using job = std::function<std::function<void()>()>;

// Hands the actor what it does with a finished job's outcome; callable from
// any thread, once.
using completion = std::function<void(std::function<void()>)>;

// Starts on the actor's thread and ends by calling its completion.
using async_job = std::function<void(completion)>;

// A job that throws fails its actor, not the pool: the exception is thrown
// again on the actor's thread, where CAF ends the actor and its supervisor
// sees the crash as it would any other.
inline std::function<void()> run_caught(const job& work) {
  try {
    return work();
  } catch (...) {
    return [failure = std::current_exception()] { std::rethrow_exception(failure); };
  }
}

// Hands `self` (whose behavior handles `resume` by running it) what it does
// with a finished job's outcome.
template <class Self>
completion resume_on(Self* self) {
  return [target = caf::actor_cast<caf::actor>(self)](std::function<void()> then) {
    caf::anon_send(target, resume{std::move(then)});
  };
}

// Runs `work` on the pool and hands its outcome to `done`. False when the
// pool's queue is full.
inline bool post_job(ports::blocking_executor& pool, job work, completion done) {
  return pool.post([work = std::move(work), done = std::move(done)] { done(run_caught(work)); });
}

// Runs `work` on the pool and its outcome on `self`. False when the pool's
// queue is full.
template <class Self>
bool post_and_resume(Self* self, ports::blocking_executor& pool, job work) {
  return post_job(pool, std::move(work), resume_on(self));
}

// Jobs of one actor, one at a time in submission order.
class serial_jobs {
public:
  bool idle() const { return !running_ && waiting_.empty(); }

  serial_jobs() = default;
  serial_jobs(const serial_jobs&) = delete;
  serial_jobs& operator=(const serial_jobs&) = delete;
  // An actor that ends with commands still waiting (a job threw, or it was
  // killed) tells their senders it stopped, as CAF does for the messages
  // left in a mailbox, so they can try its next activation.
  ~serial_jobs() {
    for (auto& entry : waiting_)
      entry.abandoned(caf::make_error(caf::sec::request_receiver_down));
  }

  // `rejected` runs on the actor when the pool's queue is full; `abandoned`
  // when the actor ends before the job could start.
  template <class Self>
  void submit(Self* self, ports::blocking_executor& pool, job work, std::function<void()> rejected,
              std::function<void(caf::error)> abandoned) {
    submit_async(
        self,
        [&pool, work = std::move(work), rejected = std::move(rejected)](completion done) mutable {
          if (!post_job(pool, std::move(work), done))
            done(std::move(rejected));
        },
        std::move(abandoned));
  }

  // `abandoned` runs when the actor ends before the job could start.
  template <class Self>
  void submit_async(Self* self, async_job start, std::function<void(caf::error)> abandoned) {
    waiting_.push_back({std::move(start), std::move(abandoned)});
    if (!running_)
      start_next(self);
  }

  // The actor's `resume` handler: runs the finished job's continuation,
  // then starts the next job.
  template <class Self>
  void finished(Self* self, resume& done) {
    done.run();
    running_ = false;
    start_next(self);
  }

  // An orderly exit waits for the jobs already accepted, so no caller is
  // left without an answer; returns true when the actor may quit now.
  bool defer_exit(const caf::error& reason) {
    if (idle())
      return true;
    exit_reason_ = reason;
    return false;
  }

private:
  struct entry {
    async_job start;
    std::function<void(caf::error)> abandoned;
  };

  template <class Self>
  void start_next(Self* self) {
    if (waiting_.empty()) {
      if (exit_reason_)
        self->quit(std::exchange(exit_reason_, caf::error{}));
      return;
    }
    auto next = std::move(waiting_.front());
    waiting_.pop_front();
    running_ = true;
    next.start(resume_on(self));
  }

  bool running_ = false;
  // A list, not a deque: every resident actor has one, nearly always empty,
  // and an empty deque already holds a 512-byte block.
  std::list<entry> waiting_;
  caf::error exit_reason_;
};

namespace detail {

template <class Promise, class T>
void deliver(Promise& promise, T value) {
  promise.deliver(std::move(value));
}

template <class Promise, class T>
void deliver(Promise& promise, caf::expected<T> value) {
  if (value)
    promise.deliver(std::move(*value));
  else
    promise.deliver(value.error());
}

}  // namespace detail

// Runs `work(*data)` on the pool after the actor's earlier jobs and hands
// what it returns (a reply, or an expected reply) to `promise` on the
// actor's own thread; `rejected` is the answer when the pool is full.
template <class Self, class Data, class Promise, class Work, class Rejected>
void run_serially(Self* self, serial_jobs& jobs, ports::blocking_executor& pool, std::shared_ptr<Data> data,
                  Promise promise, Work work, Rejected rejected) {
  jobs.submit(
      self, pool,
      [data = std::move(data), work = std::move(work), promise]() mutable -> std::function<void()> {
        return [promise, outcome = work(*data)]() mutable { detail::deliver(promise, std::move(outcome)); };
      },
      [promise, rejected = std::move(rejected)]() mutable { detail::deliver(promise, std::move(rejected)); },
      [promise](caf::error reason) mutable { promise.deliver(std::move(reason)); });
}

// The exit handler of an actor that runs serial jobs: orderly exits wait for
// accepted jobs, a normal exit of a linked actor is ignored (CAF's default).
template <class Self>
void quit_when_idle(Self* self, serial_jobs& jobs) {
  self->set_exit_handler([self, &jobs](caf::exit_msg& msg) {
    if (!msg.reason)
      return;
    if (jobs.defer_exit(msg.reason))
      self->quit(msg.reason);
  });
}

}  // namespace taskflow::shell

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(taskflow::shell::resume)
