// A trace put together from what each node holds of it (pure: no actors).
// Nodes answer with their own spans only, so one request through an edge and
// a worker comes back in two parts.
#pragma once

#include <string>
#include <vector>

#include "messages/admin/admin.pb.h"
#include "messages/trace/span.pb.h"

namespace taskflow::runtime {

// One trace as every answering node saw it.
struct trace_overview {
  messages::TraceSummary summary;  // start, end and counts over all nodes
  std::vector<std::string> nodes;
};

// Merges the nodes' summaries by trace id, newest first. The merged name,
// route and status are the earliest part's, else the first part with a route.
std::vector<trace_overview> merge_summaries(const std::vector<messages::TraceSummaries>& parts);

// Which spans lie on the critical path (by index into `spans`): from the
// root that ends last, each time the child that ends last, which is what
// the root waited for longest.
std::vector<bool> critical_path(const std::vector<messages::Span>& spans);

}  // namespace taskflow::runtime
