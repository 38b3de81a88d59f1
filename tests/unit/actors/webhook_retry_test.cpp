// The webhook retry rules without a dispatcher: the schedule, its jitter and
// what each kind of answer does to a delivery.
#include <catch2/catch.hpp>

#include "actors/notification/webhook_retry.hpp"

using namespace taskflow::notification;
using namespace std::chrono_literals;

TEST_CASE("the standard schedule is Standard Webhooks' ten attempts", "[webhook_retry]") {
  auto s = standard_retry_schedule();
  REQUIRE(s.size() == 10);
  CHECK(s.front() == 0ms);
  CHECK(s[1] == 5s);
  CHECK(s[2] == 5min);
  CHECK(s[3] == 30min);
  CHECK(s.back() == 24h);
}

TEST_CASE("jitter moves a delay by at most a tenth of it, and never a zero delay", "[webhook_retry]") {
  CHECK(jittered(1000ms, 0.5) == 1000ms);
  CHECK(jittered(1000ms, 0.0) == 900ms);
  CHECK(jittered(1000ms, 0.999999) == 1100ms);
  CHECK(jittered(0ms, 0.0) == 0ms);
  CHECK(jittered(0ms, 0.99) == 0ms);
  // Out-of-range fractions are clamped rather than trusted.
  CHECK(jittered(1000ms, -3.0) == 900ms);
  CHECK(jittered(1000ms, 7.0) == 1100ms);
}

TEST_CASE("a 2xx delivers, whatever the attempt", "[webhook_retry]") {
  auto s = standard_retry_schedule();
  for (int code : {200, 201, 204, 299}) {
    auto v = judge_attempt(s, 3, {code}, 1000, 0.5);
    CHECK(v.status == delivery_delivered);
    CHECK_FALSE(v.disable_endpoint);
    CHECK_FALSE(v.next_attempt_at_ms);
  }
}

TEST_CASE("a 410 fails the delivery and disables the endpoint", "[webhook_retry]") {
  auto v = judge_attempt(standard_retry_schedule(), 1, {410}, 1000, 0.5);
  CHECK(v.status == delivery_failed);
  CHECK(v.disable_endpoint);
  CHECK_FALSE(v.next_attempt_at_ms);
}

TEST_CASE("other answers and transport errors retry at the schedule's next step", "[webhook_retry]") {
  auto s = standard_retry_schedule();
  SECTION("after the first attempt: 5 s") {
    auto v = judge_attempt(s, 1, {500}, 1000, 0.5);
    CHECK(v.status == delivery_pending);
    CHECK(v.next_attempt_at_ms == 1000 + 5000);
  }
  SECTION("after the second: 5 min, jittered") {
    auto v = judge_attempt(s, 2, {std::nullopt}, 0, 0.0);
    CHECK(v.status == delivery_pending);
    CHECK(v.next_attempt_at_ms == 270'000);
  }
  SECTION("redirects and client errors are failures too") {
    for (int code : {301, 302, 400, 404, 429, 503})
      CHECK(judge_attempt(s, 1, {code}, 0, 0.5).status == delivery_pending);
  }
}

TEST_CASE("the delivery fails for good once the schedule is spent", "[webhook_retry]") {
  auto s = standard_retry_schedule();
  CHECK(judge_attempt(s, 9, {500}, 0, 0.5).next_attempt_at_ms == 86'400'000);
  auto last = judge_attempt(s, 10, {500}, 0, 0.5);
  CHECK(last.status == delivery_failed);
  CHECK_FALSE(last.disable_endpoint);
  CHECK_FALSE(last.next_attempt_at_ms);
}

TEST_CASE("only silence, 5xx and 429 count against an endpoint's breaker", "[webhook_retry]") {
  CHECK(counts_against_endpoint({std::nullopt}));
  CHECK(counts_against_endpoint({500}));
  CHECK(counts_against_endpoint({503}));
  CHECK(counts_against_endpoint({429}));
  CHECK_FALSE(counts_against_endpoint({200}));
  CHECK_FALSE(counts_against_endpoint({404}));
  CHECK_FALSE(counts_against_endpoint({410}));
}

TEST_CASE("a shortened schedule bounds the attempts the same way", "[webhook_retry]") {
  retry_schedule s{0ms, 100ms, 200ms};
  CHECK(judge_attempt(s, 1, {500}, 0, 0.5).next_attempt_at_ms == 100);
  CHECK(judge_attempt(s, 2, {500}, 0, 0.5).next_attempt_at_ms == 200);
  CHECK(judge_attempt(s, 3, {500}, 0, 0.5).status == delivery_failed);
}
