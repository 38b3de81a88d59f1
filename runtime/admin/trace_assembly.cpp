#include "runtime/admin/trace_assembly.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

namespace taskflow::runtime {

std::vector<trace_overview> merge_summaries(const std::vector<messages::TraceSummaries>& parts) {
  std::unordered_map<std::string, trace_overview> by_id;
  for (const auto& part : parts)
    for (const auto& s : part.traces()) {
      auto [it, fresh] = by_id.try_emplace(s.trace_id());
      auto& merged = it->second;
      merged.nodes.push_back(part.node_id());
      if (fresh) {
        merged.summary = s;
        continue;
      }
      auto& m = merged.summary;
      if (s.start_unix_nano() < m.start_unix_nano()) {
        m.set_start_unix_nano(s.start_unix_nano());
        m.set_name(s.name());
      }
      m.set_end_unix_nano(std::max(m.end_unix_nano(), s.end_unix_nano()));
      m.set_span_count(m.span_count() + s.span_count());
      m.set_error(m.error() || s.error());
      if (m.route().empty() && !s.route().empty()) {
        m.set_route(s.route());
        m.set_status(s.status());
      }
    }
  std::vector<trace_overview> out;
  out.reserve(by_id.size());
  for (auto& [id, overview] : by_id) {
    std::sort(overview.nodes.begin(), overview.nodes.end());
    out.push_back(std::move(overview));
  }
  std::sort(out.begin(), out.end(), [](const trace_overview& a, const trace_overview& b) {
    return a.summary.start_unix_nano() > b.summary.start_unix_nano();
  });
  return out;
}

std::vector<bool> critical_path(const std::vector<messages::Span>& spans) {
  std::vector<bool> on_path(spans.size(), false);
  std::unordered_set<std::string> ids;
  for (const auto& s : spans)
    ids.insert(s.span_id());
  std::unordered_map<std::string, std::vector<std::size_t>> children;
  std::optional<std::size_t> current;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const auto& parent = spans[i].parent_span_id();
    if (!parent.empty() && ids.count(parent) > 0)
      children[parent].push_back(i);
    else if (!current || spans[i].end_unix_nano() > spans[*current].end_unix_nano())
      current = i;
  }
  // A span id seen twice (a malformed trace) cannot loop forever: each step
  // marks a span, and a marked one ends the walk.
  while (current && !on_path[*current]) {
    on_path[*current] = true;
    auto it = children.find(spans[*current].span_id());
    if (it == children.end())
      break;
    current = *std::max_element(it->second.begin(), it->second.end(), [&](std::size_t a, std::size_t b) {
      return spans[a].end_unix_nano() < spans[b].end_unix_nano();
    });
  }
  return on_path;
}

}  // namespace taskflow::runtime
