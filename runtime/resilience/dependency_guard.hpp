// Everything a call to one remote dependency (PostgreSQL, NATS, Redis) goes
// through: its circuit breaker, retries for calls that are safe to repeat,
// and the Prometheus series for both. Timeouts are the adapters' own (libpq
// statement_timeout and connect_timeout, JetStream ack wait, Redis socket
// timeouts): a blocking call cannot be abandoned from outside without
// leaking the connection it holds.
#pragma once

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
  // A call that succeeds but takes longer than this counts against the
  // breaker as a failure: a dependency that answers everything late holds a
  // store thread per call, and the calls queued behind them answer 504 at
  // the deadline. Open, the breaker answers 503 at once instead. Zero: off.
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
      if (auto refused = begin())
        return refused;
      auto started = now_();
      auto result = fn();
      end(result ? caf::error{} : result.error(), started);
      if (result || !is_failure(result.error()))
        return result;
      if (!idempotent || attempt >= retry_.max_attempts() || !retry_.try_spend())
        return result;
      count(retries_);
      std::this_thread::sleep_for(retry_.delay_before(attempt));
    }
  }

  // call() in two halves, for a call whose outcome arrives later on another
  // thread and is never retried (a commit). begin() is the breaker's refusal,
  // or none when the call may go ahead; end() takes the outcome of every
  // call that went ahead (none for success) and when it went ahead (now()
  // right after begin()).
  caf::error begin();
  void end(const caf::error& outcome, std::chrono::steady_clock::time_point started);
  std::chrono::steady_clock::time_point now() const { return now_(); }

  circuit_breaker& breaker() { return breaker_; }
  const std::string& name() const { return breaker_.name(); }

  static bool is_failure(const caf::error& error);

private:
  caf::error rejected() const;
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
};

}  // namespace taskflow::runtime
