// The standard process_* metrics every Prometheus client exports (CPU time,
// resident and virtual memory, open and maximum file descriptors, start
// time), read from /proc when /metrics is scraped, so they cost nothing
// between scrapes.
#pragma once

#include <vector>

#include <prometheus/metric_family.h>

namespace taskflow::runtime {

std::vector<prometheus::MetricFamily> collect_process_metrics();

}  // namespace taskflow::runtime
