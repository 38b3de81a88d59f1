// The request-latency histogram's buckets (seconds), the same for HTTP and
// gRPC so their figures compare bucket for bucket.
#pragma once

#include <vector>

namespace taskflow::edge {

inline const std::vector<double>& latency_buckets() {
  static const std::vector<double> buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                           0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return buckets;
}

}  // namespace taskflow::edge
