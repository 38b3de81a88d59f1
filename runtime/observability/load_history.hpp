// The node's recent load, kept on the node so the console's chart survives a
// reload: requests per second, p99 latency and activations per second,
// derived from the node's own metrics (the counters /metrics shows) between
// two readings, in a bounded ring. The derivation is pure; the ring is
// thread-safe (a sampler writes, HTTP threads read).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include <prometheus/metric_family.h>

namespace taskflow::runtime {

// Cumulative counts as the metrics hold them at one moment.
struct load_totals {
  double requests = 0;
  double activations = 0;
  std::map<double, double> latency_buckets;  // upper bound (seconds) -> cumulative count
};

struct load_sample {
  std::int64_t at_ms = 0;  // the end of the interval
  double requests_per_s = 0;
  std::optional<double> p99_ms;  // none: no request in the interval
  double activations_per_s = 0;
};

// From the node's HTTP request counter and latency histogram and its
// activation counter. Calls to /metrics and the admin console's own calls
// are left out, so an idle node draws a flat line while it is watched.
load_totals totals_of(const std::vector<prometheus::MetricFamily>& families);

// The q-quantile, in seconds, of the observations between two histogram
// readings, interpolated within its bucket as Prometheus' histogram_quantile
// does; none when there were no observations.
std::optional<double> quantile(double q, const std::map<double, double>& before, const std::map<double, double>& after);

load_sample sample_between(const load_totals& before, std::int64_t before_ms, const load_totals& after,
                           std::int64_t after_ms);

class load_history {
public:
  // 720 samples of 5 s: the last hour.
  static constexpr std::size_t default_capacity = 720;

  explicit load_history(std::size_t capacity = default_capacity);

  // A reading at now_ms; each one after the first adds a sample.
  void record(load_totals totals, std::int64_t now_ms);
  // Oldest first.
  std::vector<load_sample> samples() const;

private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<load_sample> samples_;
  std::optional<std::pair<load_totals, std::int64_t>> last_;
};

}  // namespace taskflow::runtime
