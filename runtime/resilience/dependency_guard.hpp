// Everything a call to one remote dependency (PostgreSQL, NATS, Redis) goes
// through: its circuit breaker, retries for calls that are safe to repeat,
// and the Prometheus series for both. Timeouts are the adapters' own (libpq
// statement_timeout and connect_timeout, JetStream ack wait, Redis socket
// timeouts): a blocking call cannot be abandoned from outside without
// leaking the connection it holds.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <thread>

#include <caf/expected.hpp>

#include "actors/ports/store_error.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/resilience/circuit_breaker.hpp"
#include "runtime/resilience/retry_policy.hpp"

namespace taskflow::runtime {

struct guard_options {
  breaker_options breaker;
  retry_options retry;
  // A dependency that answers everything late holds a store thread or a
  // commit per call, and the calls behind them answer 504 at the deadline.
  // So a call that succeeds but took longer than this counts against the
  // breaker as a failure, and while any call has been out longer than this
  // the dependency counts as stuck: new calls are refused at once, each
  // refusal a failure, so the breaker opens without waiting for the late
  // answers. Zero: off.
  std::chrono::milliseconds slow_call{0};
};

class dependency_guard {
public:
  // `stats` may be null (unit tests). `on_transition` is called after the
  // breaker changed state, e.g. to log it.
  dependency_guard(std::string name, guard_options options, metrics* stats, clock_source now = steady_clock_source(),
                   circuit_breaker::transition_observer on_transition = {});

  // Runs fn() -> caf::expected<T> unless the breaker is open, retrying a
  // failed idempotent call within the budget. Only unavailable and timeout,
  // and slow calls, count against the dependency; a conflict is the
  // dependency working.
  template <typename Fn>
  auto call(bool idempotent, Fn&& fn) -> decltype(fn()) {
    retry_.on_call();
    for (int attempt = 1;; ++attempt) {
      auto started = begin();
      if (!started)
        return started.error();
      auto result = [&] {
        try {
          return fn();
        } catch (...) {
          // A failed call like any other. Left in flight, it would soon look
          // stuck and have every later call refused (stuck()).
          end(ports::make_error(ports::store_errc::unavailable, name() + " call threw"), *started);
          throw;
        }
      }();
      end(result ? caf::error{} : result.error(), *started);
      if (result || !is_failure(result.error()))
        return result;
      if (!idempotent || attempt >= retry_.max_attempts() || !retry_.try_spend())
        return result;
      count(retries_);
      std::this_thread::sleep_for(retry_.delay_before(attempt));
    }
  }

  // call() in two halves, for a call whose outcome arrives later on another
  // thread and is never retried (a commit). begin() is the refusal, or when
  // the call went ahead; end() takes the outcome of every call that went
  // ahead (none for success) and that time.
  caf::expected<std::chrono::steady_clock::time_point> begin();
  void end(const caf::error& outcome, std::chrono::steady_clock::time_point started);

  circuit_breaker& breaker() { return breaker_; }
  const std::string& name() const { return breaker_.name(); }

  static bool is_failure(const caf::error& error);

private:
  caf::error rejected() const;
  bool stuck(std::chrono::steady_clock::time_point now) const;  // with in_flight_mutex_ held
  static void count(prometheus::Counter* c) {
    if (c)
      c->Increment();
  }

  retry_policy retry_;
  std::chrono::milliseconds slow_call_;
  clock_source now_;
  prometheus::Gauge* state_gauge_ = nullptr;
  prometheus::Counter* ok_ = nullptr;
  prometheus::Counter* failed_ = nullptr;
  prometheus::Counter* slow_ = nullptr;
  prometheus::Counter* rejected_ = nullptr;
  prometheus::Counter* retries_ = nullptr;
  circuit_breaker breaker_;
  // When each call that went ahead started, oldest first.
  std::mutex in_flight_mutex_;
  std::multiset<std::chrono::steady_clock::time_point> in_flight_;
};

}  // namespace taskflow::runtime
