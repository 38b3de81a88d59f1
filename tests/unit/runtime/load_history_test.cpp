// The node's load history: totals from the metrics, rates and p99 between
// readings, and the bound of the ring.
#include <limits>

#include <catch2/catch.hpp>

#include "runtime/observability/load_history.hpp"
#include "runtime/observability/metrics.hpp"

using namespace taskflow;

TEST_CASE("totals leave out /metrics and the console's own calls", "[load_history]") {
  runtime::metrics stats;
  stats.http_requests.Add({{"route", "/api/v1/tasks"}, {"method", "GET"}, {"status", "200"}}).Increment(3);
  stats.http_requests.Add({{"route", "/metrics"}, {"method", "GET"}, {"status", "200"}}).Increment(5);
  stats.http_requests.Add({{"route", "/admin/api/cluster"}, {"method", "GET"}, {"status", "200"}}).Increment(7);
  stats.http_request_seconds
      .Add({{"route", "/api/v1/tasks"}, {"method", "GET"}}, prometheus::Histogram::BucketBoundaries{0.01, 0.1})
      .Observe(0.05);
  stats.activations.Increment(2);
  auto totals = runtime::totals_of(stats.registry().Collect());
  CHECK(totals.requests == 3);
  CHECK(totals.activations == 2);
  CHECK(totals.latency_buckets.at(0.1) == 1);
}

TEST_CASE("a sample is the rates and p99 between two readings", "[load_history]") {
  runtime::load_totals before{10, 1, {{0.01, 0}, {0.1, 0}, {std::numeric_limits<double>::infinity(), 0}}};
  runtime::load_totals after{20, 6, {{0.01, 0}, {0.1, 10}, {std::numeric_limits<double>::infinity(), 10}}};
  auto sample = runtime::sample_between(before, 1000, after, 6000);
  CHECK(sample.at_ms == 6000);
  CHECK(sample.requests_per_s == Approx(2.0));
  CHECK(sample.activations_per_s == Approx(1.0));
  REQUIRE(sample.p99_ms);
  CHECK(*sample.p99_ms == Approx(99.1));
  CHECK_FALSE(runtime::sample_between(after, 6000, after, 11000).p99_ms);
}

TEST_CASE("the ring keeps the latest samples, oldest first", "[load_history]") {
  runtime::load_history history{3};
  for (int i = 0; i < 6; ++i)
    history.record({static_cast<double>(i * 5), 0, {}}, 1000 * (i + 1));
  auto samples = history.samples();
  REQUIRE(samples.size() == 3);
  CHECK(samples.front().at_ms == 4000);
  CHECK(samples.back().at_ms == 6000);
  CHECK(samples.back().requests_per_s == Approx(5.0));
}
