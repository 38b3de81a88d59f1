// A dependency guard: transient failures open the breaker, then calls fail
// fast with store_errc::unavailable; idempotent calls are retried, others
// are not; a conflict is the dependency working, not failing.
#include <stdexcept>

#include <catch2/catch.hpp>

#include "runtime/resilience/dependency_guard.hpp"
#include "tests/unit/support/manual_clock.hpp"

using namespace taskflow;
using namespace taskflow::runtime;
using namespace std::chrono_literals;

namespace {

guard_options fast_options() {
  guard_options o;
  o.breaker = {2, 1000ms, 1};
  o.retry = {3, 0ms, 0ms, 1.0, 100};
  return o;
}

caf::expected<int> down() {
  return ports::make_error(ports::store_errc::unavailable, "down");
}

}  // namespace

TEST_CASE("an open breaker rejects calls without making them", "[guard]") {
  testing::manual_clock clock;
  metrics stats;
  dependency_guard g{"postgres", fast_options(), &stats, clock.source()};
  int calls = 0;
  auto failing = [&] {
    ++calls;
    return down();
  };
  CHECK_FALSE(g.call(false, failing));
  CHECK_FALSE(g.call(false, failing));
  CHECK(g.breaker().state() == breaker_state::open);
  CHECK(calls == 2);
  auto rejected = g.call(false, failing);
  REQUIRE_FALSE(rejected);
  CHECK(calls == 2);
  CHECK(ports::is(rejected.error(), ports::store_errc::unavailable));
  CHECK(ports::error_detail(rejected.error()).find("circuit open") != std::string::npos);
  CHECK(stats.serialize().find("taskflow_dependency_breaker_state{dependency=\"postgres\"} 1") != std::string::npos);

  clock.advance(1000ms);
  CHECK(g.call(false, [] { return caf::expected<int>{7}; }) == 7);
  CHECK(g.breaker().state() == breaker_state::closed);
}

TEST_CASE("idempotent calls are retried, others are not", "[guard]") {
  testing::manual_clock clock;
  dependency_guard g{"redis", {{10, 1000ms, 1}, {3, 0ms, 0ms, 1.0, 100}, 0ms}, nullptr, clock.source()};
  int calls = 0;
  auto flaky = [&]() -> caf::expected<int> {
    if (++calls < 3)
      return down();
    return 5;
  };
  CHECK(g.call(true, flaky) == 5);
  CHECK(calls == 3);
  calls = 0;
  CHECK_FALSE(g.call(false, flaky));
  CHECK(calls == 1);
}

TEST_CASE("a conflict does not count against the dependency", "[guard]") {
  testing::manual_clock clock;
  dependency_guard g{"postgres", fast_options(), nullptr, clock.source()};
  for (int i = 0; i < 5; ++i)
    CHECK_FALSE(g.call(
        true, []() -> caf::expected<int> { return ports::make_error(ports::store_errc::conflict, "version moved"); }));
  CHECK(g.breaker().state() == breaker_state::closed);
}

TEST_CASE("a call answered later counts like any other: failures open the breaker, conflicts do not", "[guard]") {
  testing::manual_clock clock;
  dependency_guard g{"postgres", fast_options(), nullptr, clock.source()};
  auto first = g.begin();
  REQUIRE(first);
  g.end(ports::make_error(ports::store_errc::conflict, "version moved"), *first);
  auto second = g.begin();
  REQUIRE(second);
  g.end(down().error(), *second);
  CHECK(g.breaker().state() == breaker_state::closed);
  auto third = g.begin();
  REQUIRE(third);
  g.end(down().error(), *third);
  CHECK(g.breaker().state() == breaker_state::open);
  auto refused = g.begin();
  REQUIRE_FALSE(refused);
  CHECK(ports::is(refused.error(), ports::store_errc::unavailable));

  clock.advance(1000ms);
  auto probe = g.begin();
  REQUIRE(probe);
  g.end(caf::error{}, *probe);
  CHECK(g.breaker().state() == breaker_state::closed);
}

TEST_CASE("calls slower than the slow-call limit open the breaker though they succeed", "[guard]") {
  testing::manual_clock clock;
  metrics stats;
  auto options = fast_options();
  options.slow_call = 500ms;
  dependency_guard g{"postgres", options, &stats, clock.source()};
  auto slow = [&] {
    clock.advance(501ms);
    return caf::expected<int>{1};
  };
  CHECK(g.call(false, slow) == 1);
  CHECK(g.breaker().state() == breaker_state::closed);
  CHECK(g.call(false, slow) == 1);
  CHECK(g.breaker().state() == breaker_state::open);
  auto refused = g.call(false, slow);
  REQUIRE_FALSE(refused);
  CHECK(ports::is(refused.error(), ports::store_errc::unavailable));
  CHECK(stats.serialize().find("taskflow_dependency_calls_total{dependency=\"postgres\",outcome=\"slow\"} 2") !=
        std::string::npos);

  clock.advance(1000ms);
  CHECK(g.call(false, [&] {
    clock.advance(499ms);
    return caf::expected<int>{2};
  }) == 2);
  CHECK(g.breaker().state() == breaker_state::closed);
}

TEST_CASE("a commit's two halves measure its time from begin to end", "[guard]") {
  testing::manual_clock clock;
  auto options = fast_options();
  options.slow_call = 500ms;
  dependency_guard g{"postgres", options, nullptr, clock.source()};
  for (int i = 0; i < 2; ++i) {
    auto started = g.begin();
    REQUIRE(started);
    clock.advance(600ms);
    g.end(caf::error{}, *started);
  }
  CHECK(g.breaker().state() == breaker_state::open);
}

TEST_CASE("while a call is out past the slow-call limit, new calls are refused at once and open the breaker",
          "[guard]") {
  testing::manual_clock clock;
  auto options = fast_options();
  options.slow_call = 500ms;
  dependency_guard g{"postgres", options, nullptr, clock.source()};
  auto hung = g.begin();
  REQUIRE(hung);
  clock.advance(400ms);
  auto meanwhile = g.begin();
  REQUIRE(meanwhile);  // not yet stuck: the first call is 400 ms out
  g.end(caf::error{}, *meanwhile);

  clock.advance(200ms);
  for (int i = 0; i < 2; ++i) {
    auto refused = g.begin();
    REQUIRE_FALSE(refused);
    CHECK(ports::is(refused.error(), ports::store_errc::unavailable));
    CHECK_THAT(ports::error_detail(refused.error()), Catch::Contains("unanswered"));
  }
  CHECK(g.breaker().state() == breaker_state::open);

  // The late answer arrives; once the breaker lets a probe through, it goes.
  g.end(caf::error{}, *hung);
  clock.advance(1000ms);
  auto probe = g.begin();
  REQUIRE(probe);
  g.end(caf::error{}, *probe);
  CHECK(g.breaker().state() == breaker_state::closed);
}

TEST_CASE("a call that throws is over: it never holds later calls back as a stuck one", "[guard]") {
  testing::manual_clock clock;
  auto options = fast_options();
  options.slow_call = 500ms;
  dependency_guard g{"postgres", options, nullptr, clock.source()};
  auto throwing = []() -> caf::expected<int> { throw std::runtime_error{"driver bug"}; };
  CHECK_THROWS_AS(g.call(false, throwing), std::runtime_error);
  clock.advance(600ms);
  CHECK(g.call(false, [] { return caf::expected<int>{3}; }) == 3);
  CHECK(g.breaker().state() == breaker_state::closed);
}
