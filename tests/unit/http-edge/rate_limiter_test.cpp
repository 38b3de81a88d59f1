// Token buckets: a burst, then a steady refill; Retry-After says when.
#include <catch2/catch.hpp>

#include "http-edge/middleware/rate_limiter.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

TEST_CASE("a bucket allows its burst, then refills at its rate", "[unit][rate-limit]") {
  edge::rate_limiter limiter{{2, 3}};
  auto t0 = edge::rate_limiter::clock::time_point{} + 1h;
  CHECK(limiter.take("k", t0).allowed);
  CHECK(limiter.take("k", t0).allowed);
  auto third = limiter.take("k", t0);
  CHECK(third.allowed);
  CHECK(third.remaining == 0);
  CHECK(third.limit == 3);
  auto refused = limiter.take("k", t0);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after_s == 1);
  CHECK(limiter.take("other", t0).allowed);
  CHECK(limiter.take("k", t0 + 500ms).allowed);
  CHECK_FALSE(limiter.take("k", t0 + 500ms).allowed);
}

TEST_CASE("peek looks without taking, a zero rate is off", "[unit][rate-limit]") {
  edge::rate_limiter limiter{{0.1, 1}};
  auto t0 = edge::rate_limiter::clock::time_point{} + 1h;
  CHECK(limiter.peek("k", t0).allowed);
  CHECK(limiter.peek("k", t0).allowed);
  CHECK(limiter.take("k", t0).allowed);
  auto after = limiter.peek("k", t0);
  CHECK_FALSE(after.allowed);
  CHECK(after.retry_after_s == 10);
  edge::rate_limiter off{{0, 0}};
  for (int i = 0; i < 100; ++i)
    CHECK(off.take("k", t0).allowed);
}

TEST_CASE("the key table stays bounded", "[unit][rate-limit]") {
  edge::rate_limiter limiter{{1, 1}, 10};
  auto t0 = edge::rate_limiter::clock::time_point{} + 1h;
  for (int i = 0; i < 1000; ++i)
    limiter.take("k" + std::to_string(i), t0);
  CHECK_FALSE(limiter.take("k999", t0).allowed);
}
