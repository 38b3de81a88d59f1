#include "runtime/observability/tracing/trace_buffer.hpp"

#include <algorithm>
#include <utility>

namespace taskflow::runtime {
namespace {

const messages::SpanAttribute* attribute(const messages::Span& span, const std::string& key) {
  for (const auto& a : span.attributes())
    if (a.key() == key)
      return &a;
  return nullptr;
}

std::string route_of(const messages::Span& span) {
  if (span.kind() != messages::Span::KIND_SERVER)
    return {};
  const auto* route = attribute(span, "http.route");
  return route ? route->string_value() : std::string{};
}

}  // namespace

messages::TraceSummary summarize(const std::string& trace_id, const std::vector<messages::Span>& spans) {
  messages::TraceSummary out;
  out.set_trace_id(trace_id);
  std::uint64_t first = UINT64_MAX, last = 0;
  for (const auto& s : spans) {
    if (s.start_unix_nano() < first) {
      first = s.start_unix_nano();
      out.set_name(s.name());
    }
    last = std::max(last, s.end_unix_nano());
    if (s.error())
      out.set_error(true);
    if (out.route().empty())
      if (auto route = route_of(s); !route.empty()) {
        out.set_route(route);
        if (const auto* status = attribute(s, "http.response.status_code"))
          out.set_status(static_cast<std::int32_t>(status->int_value()));
      }
  }
  out.set_start_unix_nano(spans.empty() ? 0 : first);
  out.set_end_unix_nano(last);
  out.set_span_count(static_cast<std::uint32_t>(spans.size()));
  return out;
}

trace_buffer::trace_buffer(trace_buffer_limits limits) : limits_(limits) {}

void trace_buffer::add(messages::Span span) {
  // Traces given up are destroyed after the lock is released: a trace's
  // spans are many small allocations, and other threads wait on the lock.
  std::vector<std::vector<messages::Span>> forgotten;
  std::lock_guard lock{mutex_};
  auto trace_id = span.trace_id();
  auto& trace = traces_[trace_id];
  if (!trace.recent) {
    trace.recent = true;
    recent_.push_back(trace_id);
  }
  if (auto route = route_of(span); !route.empty())
    rank(span, route, forgotten);
  if (trace.spans.size() < limits_.spans_per_trace)
    trace.spans.push_back(std::move(span));
  while (recent_.size() > limits_.recent_traces) {
    auto oldest = std::move(recent_.front());
    recent_.pop_front();
    traces_[oldest].recent = false;
    forget_if_unheld(oldest, forgotten);
  }
}

void trace_buffer::rank(const messages::Span& server_span, const std::string& route,
                        std::vector<std::vector<messages::Span>>& forgotten) {
  auto nanos = server_span.end_unix_nano() - server_span.start_unix_nano();
  auto& slow = slowest_[route];
  if (slow.size() >= limits_.slowest_per_route && nanos <= slow.back().nanos)
    return;
  auto at = std::find_if(slow.begin(), slow.end(), [&](const slow_entry& e) { return e.nanos < nanos; });
  slow.insert(at, slow_entry{nanos, server_span.trace_id()});
  ++traces_[server_span.trace_id()].slowest_slots;
  if (slow.size() > limits_.slowest_per_route) {
    auto dropped = std::move(slow.back().trace_id);
    slow.pop_back();
    --traces_[dropped].slowest_slots;
    forget_if_unheld(dropped, forgotten);
  }
}

void trace_buffer::forget_if_unheld(const std::string& trace_id, std::vector<std::vector<messages::Span>>& forgotten) {
  auto it = traces_.find(trace_id);
  if (it != traces_.end() && !it->second.recent && it->second.slowest_slots <= 0) {
    forgotten.push_back(std::move(it->second.spans));
    traces_.erase(it);
  }
}

std::vector<messages::TraceSummary> trace_buffer::list(const messages::ListTraces& query) const {
  std::vector<messages::TraceSummary> out;
  {
    std::lock_guard lock{mutex_};
    for (const auto& [id, trace] : traces_) {
      auto summary = summarize(id, trace.spans);
      auto ms = static_cast<double>(summary.end_unix_nano() - summary.start_unix_nano()) / 1e6;
      if (ms < query.min_ms())
        continue;
      if (!query.route().empty() && std::none_of(trace.spans.begin(), trace.spans.end(),
                                                 [&](const auto& s) { return route_of(s) == query.route(); }))
        continue;
      out.push_back(std::move(summary));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.start_unix_nano() > b.start_unix_nano(); });
  if (query.limit() > 0 && out.size() > query.limit())
    out.resize(query.limit());
  return out;
}

std::vector<messages::Span> trace_buffer::spans_of(const std::string& trace_id) const {
  std::vector<messages::Span> out;
  {
    std::lock_guard lock{mutex_};
    auto it = traces_.find(trace_id);
    if (it == traces_.end())
      return out;
    out = it->second.spans;
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.start_unix_nano() < b.start_unix_nano(); });
  return out;
}

}  // namespace taskflow::runtime
