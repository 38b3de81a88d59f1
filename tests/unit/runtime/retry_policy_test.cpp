// Jittered exponential backoff stays within its bounds; the budget caps
// retries at a fraction of calls.
#include <catch2/catch.hpp>

#include "runtime/resilience/retry_policy.hpp"

using namespace taskflow::runtime;
using namespace std::chrono_literals;

TEST_CASE("backoff grows exponentially up to the cap, with jitter below the ceiling", "[retry]") {
  retry_policy p{{5, 10ms, 100ms, 0.1, 10}, 42};
  for (int round = 0; round < 200; ++round) {
    CHECK(p.delay_before(1) <= 10ms);
    CHECK(p.delay_before(2) <= 20ms);
    CHECK(p.delay_before(3) <= 40ms);
    CHECK(p.delay_before(10) <= 100ms);
  }
  // Jitter: not every delay is the ceiling.
  bool varied = false;
  auto first = p.delay_before(10);
  for (int i = 0; i < 50 && !varied; ++i)
    varied = p.delay_before(10) != first;
  CHECK(varied);
}

TEST_CASE("the retry budget allows the reserve, then a fraction of calls", "[retry]") {
  retry_policy p{{3, 1ms, 1ms, 0.5, 2}, 1};
  CHECK(p.try_spend());
  CHECK(p.try_spend());
  CHECK_FALSE(p.try_spend());
  p.on_call();
  CHECK_FALSE(p.try_spend());  // half a token
  p.on_call();
  CHECK(p.try_spend());
  // Calm periods do not save up beyond the reserve.
  for (int i = 0; i < 100; ++i)
    p.on_call();
  CHECK(p.try_spend());
  CHECK(p.try_spend());
  CHECK_FALSE(p.try_spend());
}
