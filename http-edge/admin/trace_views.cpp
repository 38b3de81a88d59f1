#include "http-edge/admin/trace_views.hpp"

#include <algorithm>

#include "http-edge/routing/query_string.hpp"
#include "runtime/admin/trace_assembly.hpp"

namespace taskflow::edge {
namespace {

constexpr int default_trace_limit = 50;
constexpr int max_trace_limit = 200;
constexpr int max_min_ms = 3'600'000;
// Routes are patterns like /api/v1/tasks/{id}.
constexpr std::size_t max_route_length = 256;

const char* kind_name(messages::Span::Kind kind) {
  switch (kind) {
    case messages::Span::KIND_SERVER:
      return "server";
    case messages::Span::KIND_CLIENT:
      return "client";
    case messages::Span::KIND_PRODUCER:
      return "producer";
    case messages::Span::KIND_CONSUMER:
      return "consumer";
    default:
      return "internal";
  }
}

nlohmann::json attribute_value(const messages::SpanAttribute& a) {
  switch (a.value_case()) {
    case messages::SpanAttribute::kStringValue:
      return a.string_value();
    case messages::SpanAttribute::kIntValue:
      return a.int_value();
    case messages::SpanAttribute::kDoubleValue:
      return a.double_value();
    case messages::SpanAttribute::kBoolValue:
      return a.bool_value();
    case messages::SpanAttribute::VALUE_NOT_SET:
      break;
  }
  return nullptr;
}

double ms_between(std::uint64_t from_ns, std::uint64_t to_ns) {
  return to_ns > from_ns ? static_cast<double>(to_ns - from_ns) / 1e6 : 0.0;
}

double unix_ms(std::uint64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

}  // namespace

std::variant<messages::ListTraces, messages::field_errors> parse_trace_query(
    const std::multimap<std::string, std::string>& query) {
  messages::ListTraces out;
  messages::field_errors errors;
  out.set_limit(default_trace_limit);
  if (auto it = query.find("min_ms"); it != query.end()) {
    if (auto parsed = parse_int_in_range(it->second, 0, max_min_ms))
      out.set_min_ms(*parsed);
    else
      messages::add_field_error(errors, "min_ms", "must be an integer from 0 to 3600000");
  }
  if (auto it = query.find("route"); it != query.end()) {
    if (!it->second.empty() && it->second.size() <= max_route_length && it->second.front() == '/')
      out.set_route(it->second);
    else
      messages::add_field_error(errors, "route", "must be a route pattern such as /api/v1/tasks/{id}");
  }
  if (auto it = query.find("limit"); it != query.end()) {
    if (auto parsed = parse_int_in_range(it->second, 1, max_trace_limit))
      out.set_limit(static_cast<std::uint32_t>(*parsed));
    else
      messages::add_field_error(errors, "limit", "must be an integer from 1 to 200");
  }
  if (!errors.empty())
    return errors;
  return out;
}

bool is_trace_id(const std::string& text) {
  return text.size() == 32 &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }) &&
         text.find_first_not_of('0') != std::string::npos;
}

nlohmann::json trace_list_to_json(const runtime::trace_list& list) {
  auto items = nlohmann::json::array();
  for (const auto& overview : list.items) {
    const auto& s = overview.summary;
    items.push_back({{"trace_id", s.trace_id()},
                     {"name", s.name()},
                     {"route", s.route().empty() ? nlohmann::json(nullptr) : nlohmann::json(s.route())},
                     {"status", s.status() == 0 ? nlohmann::json(nullptr) : nlohmann::json(s.status())},
                     {"start_unix_ms", unix_ms(s.start_unix_nano())},
                     {"duration_ms", ms_between(s.start_unix_nano(), s.end_unix_nano())},
                     {"span_count", s.span_count()},
                     {"nodes", overview.nodes},
                     {"error", s.error()}});
  }
  return {{"items", std::move(items)}, {"unanswered_nodes", list.unanswered_nodes}};
}

nlohmann::json trace_to_json(const std::string& trace_id, const runtime::gathered_trace& trace) {
  std::uint64_t start = UINT64_MAX, end = 0;
  std::vector<std::string> nodes;
  for (const auto& s : trace.spans) {
    start = std::min(start, s.start_unix_nano());
    end = std::max(end, s.end_unix_nano());
    if (std::find(nodes.begin(), nodes.end(), s.node_id()) == nodes.end())
      nodes.push_back(s.node_id());
  }
  std::sort(nodes.begin(), nodes.end());
  auto critical = runtime::critical_path(trace.spans);
  auto spans = nlohmann::json::array();
  for (std::size_t i = 0; i < trace.spans.size(); ++i) {
    const auto& s = trace.spans[i];
    auto attributes = nlohmann::json::object();
    for (const auto& a : s.attributes())
      attributes[a.key()] = attribute_value(a);
    auto links = nlohmann::json::array();
    for (const auto& l : s.links())
      links.push_back({{"trace_id", l.trace_id()}, {"span_id", l.span_id()}});
    spans.push_back({{"span_id", s.span_id()},
                     {"parent_span_id", s.parent_span_id()},
                     {"name", s.name()},
                     {"kind", kind_name(s.kind())},
                     {"node", s.node_id()},
                     {"start_ms", ms_between(start, s.start_unix_nano())},
                     {"duration_ms", ms_between(s.start_unix_nano(), s.end_unix_nano())},
                     {"error", s.error()},
                     {"status_message", s.status_message()},
                     {"attributes", std::move(attributes)},
                     {"links", std::move(links)},
                     {"critical", static_cast<bool>(critical[i])}});
  }
  return {{"trace_id", trace_id},
          {"start_unix_ms", trace.spans.empty() ? 0.0 : unix_ms(start)},
          {"duration_ms", trace.spans.empty() ? 0.0 : ms_between(start, end)},
          {"nodes", nodes},
          {"spans", std::move(spans)},
          {"unanswered_nodes", trace.unanswered_nodes}};
}

}  // namespace taskflow::edge
