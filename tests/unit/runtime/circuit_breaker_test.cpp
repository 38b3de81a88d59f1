// The breaker's state machine, driven by a manual clock.
#include <catch2/catch.hpp>

#include <vector>

#include "runtime/resilience/circuit_breaker.hpp"
#include "tests/unit/support/manual_clock.hpp"

using namespace taskflow::runtime;
using namespace std::chrono_literals;

TEST_CASE("the breaker opens after consecutive failures and fails fast while open", "[breaker]") {
  taskflow::testing::manual_clock clock;
  std::vector<std::pair<breaker_state, breaker_state>> transitions;
  circuit_breaker b{
      "db", {3, 1000ms, 1}, clock.source(), [&](auto from, auto to) { transitions.emplace_back(from, to); }};

  for (int i = 0; i < 2; ++i) {
    REQUIRE(b.allow());
    b.record_failure();
  }
  REQUIRE(b.allow());
  b.record_success();  // a success resets the count
  for (int i = 0; i < 2; ++i) {
    REQUIRE(b.allow());
    b.record_failure();
  }
  CHECK(b.state() == breaker_state::closed);
  REQUIRE(b.allow());
  b.record_failure();
  CHECK(b.state() == breaker_state::open);
  CHECK_FALSE(b.allow());
  CHECK(b.retry_after() == 1000ms);
  clock.advance(400ms);
  CHECK_FALSE(b.allow());
  CHECK(b.retry_after() == 600ms);
  REQUIRE(transitions.size() == 1);
  CHECK(transitions[0] == std::make_pair(breaker_state::closed, breaker_state::open));
}

TEST_CASE("half-open lets one probe through: success closes, failure reopens", "[breaker]") {
  taskflow::testing::manual_clock clock;
  circuit_breaker b{"db", {1, 500ms, 1}, clock.source()};
  REQUIRE(b.allow());
  b.record_failure();
  REQUIRE(b.state() == breaker_state::open);

  clock.advance(500ms);
  REQUIRE(b.allow());  // the probe
  CHECK(b.state() == breaker_state::half_open);
  CHECK_FALSE(b.allow());  // only one probe at a time
  b.record_failure();
  CHECK(b.state() == breaker_state::open);
  CHECK_FALSE(b.allow());

  clock.advance(500ms);
  REQUIRE(b.allow());
  b.record_success();
  CHECK(b.state() == breaker_state::closed);
  CHECK(b.allow());
  CHECK(b.retry_after() == 0ms);
}

TEST_CASE("state names are what the metrics and logs show", "[breaker]") {
  CHECK(breaker_state_name(breaker_state::closed) == "closed");
  CHECK(breaker_state_name(breaker_state::open) == "open");
  CHECK(breaker_state_name(breaker_state::half_open) == "half_open");
}
