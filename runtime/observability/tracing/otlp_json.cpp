#include "runtime/observability/tracing/otlp_json.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace taskflow::runtime {
namespace {

using nlohmann::json;

// OTLP's SpanKind puts SPAN_KIND_UNSPECIFIED at 0, ahead of our five; a kind
// this build does not know (from a newer peer) goes out as unspecified.
int otlp_kind(messages::Span::Kind kind) {
  switch (kind) {
    case messages::Span::KIND_INTERNAL:
      return 1;
    case messages::Span::KIND_SERVER:
      return 2;
    case messages::Span::KIND_CLIENT:
      return 3;
    case messages::Span::KIND_PRODUCER:
      return 4;
    case messages::Span::KIND_CONSUMER:
      return 5;
    default:
      return 0;
  }
}

// Protobuf's JSON mapping spells the non-finite doubles as strings, where
// nlohmann would write null.
json double_value(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "Infinity" : "-Infinity";
  return value;
}

json any_value(const messages::SpanAttribute& attribute) {
  switch (attribute.value_case()) {
    case messages::SpanAttribute::kStringValue:
      return json{{"stringValue", attribute.string_value()}};
    case messages::SpanAttribute::kIntValue:
      // int64 is a decimal string in protobuf's JSON mapping: a double, as
      // JavaScript reads numbers, would round it.
      return json{{"intValue", std::to_string(attribute.int_value())}};
    case messages::SpanAttribute::kDoubleValue:
      return json{{"doubleValue", double_value(attribute.double_value())}};
    case messages::SpanAttribute::kBoolValue:
      return json{{"boolValue", attribute.bool_value()}};
    case messages::SpanAttribute::VALUE_NOT_SET:
      break;
  }
  // An empty AnyValue is OTLP's null.
  return json::object();
}

json string_attribute(std::string_view key, std::string_view value) {
  return json{{"key", key}, {"value", {{"stringValue", value}}}};
}

json span_json(const messages::Span& span) {
  json out{{"traceId", span.trace_id()},
           {"spanId", span.span_id()},
           {"name", span.name()},
           {"kind", otlp_kind(span.kind())},
           {"startTimeUnixNano", std::to_string(span.start_unix_nano())},
           {"endTimeUnixNano", std::to_string(span.end_unix_nano())}};
  // A root has no parent, and protobuf's JSON mapping leaves empty fields out.
  if (!span.parent_span_id().empty())
    out["parentSpanId"] = span.parent_span_id();
  auto& attributes = out["attributes"] = json::array();
  for (const auto& attribute : span.attributes())
    attributes.push_back(json{{"key", attribute.key()}, {"value", any_value(attribute)}});
  auto& links = out["links"] = json::array();
  for (const auto& link : span.links())
    links.push_back(json{{"traceId", link.trace_id()}, {"spanId", link.span_id()}});
  // STATUS_CODE_ERROR is 2. A span that did not fail stays UNSET (0): OK (1)
  // would claim someone checked the outcome and vouched for it.
  out["status"] = span.error() ? json{{"code", 2}, {"message", span.status_message()}} : json{{"code", 0}};
  return out;
}

json resource_json(const otlp_service& service, std::string_view node_id) {
  auto attributes = json::array(
      {string_attribute("service.name", service.name), string_attribute("service.version", service.version)});
  if (!node_id.empty())
    attributes.push_back(string_attribute("service.instance.id", node_id));
  return json{{"attributes", std::move(attributes)}};
}

}  // namespace

std::string otlp_trace_request(std::span<const messages::Span> spans, const otlp_service& service) {
  struct node_spans {
    std::string_view node_id;
    json spans = json::array();
  };
  // A batch carries the spans of a few nodes at most: a linear search is enough.
  std::vector<node_spans> nodes;
  for (const auto& span : spans) {
    auto node = std::find_if(nodes.begin(), nodes.end(),
                             [&](const node_spans& candidate) { return candidate.node_id == span.node_id(); });
    if (node == nodes.end())
      node = nodes.insert(nodes.end(), node_spans{span.node_id()});
    node->spans.push_back(span_json(span));
  }
  auto resource_spans = json::array();
  for (auto& node : nodes)
    resource_spans.push_back(
        json{{"resource", resource_json(service, node.node_id)},
             {"scopeSpans", json::array({json{{"scope", {{"name", "taskflow"}}}, {"spans", std::move(node.spans)}}})}});
  return json{{"resourceSpans", std::move(resource_spans)}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace taskflow::runtime
