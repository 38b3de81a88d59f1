// A node's memory of the traces it took part in, for people: the most recent
// sampled traces, and always the slowest few per route, however old, since a
// slow request is what someone opens the console to look for. Bounded in
// traces and in spans per trace; the oldest give way. Only this node's spans
// are here; the admin gateway gathers a trace's spans from every node.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "messages/admin/admin.pb.h"
#include "messages/trace/span.pb.h"

namespace taskflow::runtime {

struct trace_buffer_limits {
  std::size_t recent_traces = 512;
  std::size_t spans_per_trace = 256;
  std::size_t slowest_per_route = 5;
};

class trace_buffer {
public:
  explicit trace_buffer(trace_buffer_limits limits = {});

  // Called on any thread; holds a lock for a few map operations, never I/O.
  void add(messages::Span span);

  // Newest first. A trace matches when its spans here took at least
  // query.min_ms from first start to last end, and, when query.route is
  // set, one of its server spans has that http.route.
  std::vector<messages::TraceSummary> list(const messages::ListTraces& query) const;

  // Every span kept of the trace, in order of start; empty when none.
  std::vector<messages::Span> spans_of(const std::string& trace_id) const;

private:
  struct kept {
    std::vector<messages::Span> spans;
    bool recent = false;    // still among the recent ones
    int slowest_slots = 0;  // places it holds among the slowest of a route
  };
  struct slow_entry {
    std::uint64_t nanos;
    std::string trace_id;
  };

  // Both move what they give up into `forgotten`, to be destroyed unlocked.
  void forget_if_unheld(const std::string& trace_id, std::vector<std::vector<messages::Span>>& forgotten);
  void rank(const messages::Span& server_span, const std::string& route,
            std::vector<std::vector<messages::Span>>& forgotten);

  trace_buffer_limits limits_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, kept> traces_;
  std::deque<std::string> recent_;                          // oldest first
  std::map<std::string, std::vector<slow_entry>> slowest_;  // by route, slowest first
};

// What a list shows of one trace, from the spans one node holds.
messages::TraceSummary summarize(const std::string& trace_id, const std::vector<messages::Span>& spans);

}  // namespace taskflow::runtime
