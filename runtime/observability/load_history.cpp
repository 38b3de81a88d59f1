#include "runtime/observability/load_history.hpp"

#include <algorithm>
#include <limits>
#include <string_view>

namespace taskflow::runtime {
namespace {

bool counted(const prometheus::ClientMetric& metric) {
  for (const auto& label : metric.label)
    if (label.name == "route")
      return label.value != "/metrics" && std::string_view{label.value}.substr(0, 6) != "/admin";
  return true;
}

}  // namespace

load_totals totals_of(const std::vector<prometheus::MetricFamily>& families) {
  load_totals totals;
  for (const auto& family : families) {
    for (const auto& metric : family.metric) {
      if (family.name == "taskflow_actor_activations_total") {
        totals.activations += metric.counter.value;
      } else if (family.name == "taskflow_http_requests_total" && counted(metric)) {
        totals.requests += metric.counter.value;
      } else if (family.name == "taskflow_http_request_duration_seconds" && counted(metric)) {
        for (const auto& bucket : metric.histogram.bucket)
          totals.latency_buckets[bucket.upper_bound] += static_cast<double>(bucket.cumulative_count);
      }
    }
  }
  return totals;
}

std::optional<double> quantile(double q, const std::map<double, double>& before,
                               const std::map<double, double>& after) {
  std::vector<std::pair<double, double>> counts;  // (upper bound, observations up to it in the interval)
  for (const auto& [bound, count] : after) {
    auto earlier = before.find(bound);
    counts.emplace_back(bound, std::max(0.0, count - (earlier == before.end() ? 0.0 : earlier->second)));
  }
  if (counts.empty() || counts.back().second <= 0)
    return std::nullopt;
  auto rank = q * counts.back().second;
  double lower = 0;
  double below = 0;
  for (const auto& [bound, count] : counts) {
    if (count >= rank) {
      if (bound == std::numeric_limits<double>::infinity())
        return lower;
      return lower + (bound - lower) * (rank - below) / std::max(count - below, 1e-9);
    }
    lower = bound;
    below = count;
  }
  return lower;
}

load_sample sample_between(const load_totals& before, std::int64_t before_ms, const load_totals& after,
                           std::int64_t after_ms) {
  auto seconds = std::max<double>(static_cast<double>(after_ms - before_ms) / 1000.0, 1e-3);
  auto rate = [seconds](double from, double to) { return std::max(0.0, to - from) / seconds; };
  load_sample sample;
  sample.at_ms = after_ms;
  sample.requests_per_s = rate(before.requests, after.requests);
  sample.activations_per_s = rate(before.activations, after.activations);
  if (auto p99 = quantile(0.99, before.latency_buckets, after.latency_buckets))
    sample.p99_ms = *p99 * 1000.0;
  return sample;
}

load_history::load_history(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

void load_history::record(load_totals totals, std::int64_t now_ms) {
  std::lock_guard lock{mutex_};
  if (last_) {
    samples_.push_back(sample_between(last_->first, last_->second, totals, now_ms));
    if (samples_.size() > capacity_)
      samples_.pop_front();
  }
  last_.emplace(std::move(totals), now_ms);
}

std::vector<load_sample> load_history::samples() const {
  std::lock_guard lock{mutex_};
  return {samples_.begin(), samples_.end()};
}

}  // namespace taskflow::runtime
