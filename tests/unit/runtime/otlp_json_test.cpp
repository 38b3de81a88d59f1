// The OTLP/JSON body of a trace export: the field names and encodings a
// collector expects (hex ids, kinds offset by one, 64-bit numbers as
// strings), one resource per node, and text that is not UTF-8.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/observability/tracing/otlp_json.hpp"

using namespace taskflow;
using nlohmann::json;

namespace {

const runtime::otlp_service service{"taskflow", "1.2.3"};

messages::Span make_span(const std::string& span_id, const std::string& node_id) {
  messages::Span span;
  span.set_trace_id("4bf92f3577b34da6a3ce929d0e0e4736");
  span.set_span_id(span_id);
  span.set_name("GET /api/v2/tasks");
  span.set_kind(messages::Span::KIND_SERVER);
  span.set_start_unix_nano(1'700'000'000'123'456'789ULL);
  span.set_end_unix_nano(1'700'000'000'223'456'789ULL);
  span.set_node_id(node_id);
  return span;
}

json encode(const std::vector<messages::Span>& spans) {
  return json::parse(runtime::otlp_trace_request(spans, service));
}

// The value of the attribute named `key` in an OTLP attribute list.
json attribute(const json& attributes, const std::string& key) {
  for (const auto& entry : attributes)
    if (entry.at("key") == key)
      return entry.at("value");
  FAIL("no attribute " << key);
  return {};
}

}  // namespace

TEST_CASE("a span's ids, kind, times and status take OTLP's JSON encoding", "[otlp]") {
  auto root = make_span("00f067aa0ba902b7", "node-a");
  auto child = make_span("b7ad6b7169203331", "node-a");
  child.set_parent_span_id("00f067aa0ba902b7");
  child.set_kind(messages::Span::KIND_CONSUMER);
  child.set_error(true);
  child.set_status_message("store unavailable");
  auto doc = encode({root, child});

  REQUIRE(doc.at("resourceSpans").size() == 1);
  const auto& scope = doc["resourceSpans"][0].at("scopeSpans").at(0);
  CHECK(scope.at("scope").at("name") == "taskflow");
  const auto& spans = scope.at("spans");
  REQUIRE(spans.size() == 2);

  const auto& first = spans[0];
  // Hex, as the ids are in a traceparent; OTLP's JSON is not protobuf's base64 here.
  CHECK(first.at("traceId") == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(first.at("spanId") == "00f067aa0ba902b7");
  CHECK_FALSE(first.contains("parentSpanId"));
  CHECK(first.at("name") == "GET /api/v2/tasks");
  CHECK(first.at("kind") == 2);
  // Strings: beyond 2^53 a JSON number would lose the last digits.
  CHECK(first.at("startTimeUnixNano") == "1700000000123456789");
  CHECK(first.at("endTimeUnixNano") == "1700000000223456789");
  CHECK(first.at("status") == json{{"code", 0}});
  CHECK(first.at("attributes") == json::array());
  CHECK(first.at("links") == json::array());

  const auto& second = spans[1];
  CHECK(second.at("parentSpanId") == "00f067aa0ba902b7");
  CHECK(second.at("kind") == 5);
  CHECK(second.at("status") == json{{"code", 2}, {"message", "store unavailable"}});
}

TEST_CASE("every span kind is ours plus one, and an unknown kind is unspecified", "[otlp]") {
  const std::vector<std::pair<messages::Span::Kind, int>> kinds{
      {messages::Span::KIND_INTERNAL, 1}, {messages::Span::KIND_SERVER, 2},   {messages::Span::KIND_CLIENT, 3},
      {messages::Span::KIND_PRODUCER, 4}, {messages::Span::KIND_CONSUMER, 5},
  };
  for (const auto& [kind, expected] : kinds) {
    auto span = make_span("00f067aa0ba902b7", "node-a");
    span.set_kind(kind);
    CHECK(encode({span})["resourceSpans"][0]["scopeSpans"][0]["spans"][0].at("kind") == expected);
  }
  // proto3 enums are open: a newer peer's kind arrives as a bare number.
  auto span = make_span("00f067aa0ba902b7", "node-a");
  span.set_kind(static_cast<messages::Span::Kind>(9));
  CHECK(encode({span})["resourceSpans"][0]["scopeSpans"][0]["spans"][0].at("kind") == 0);
}

TEST_CASE("attributes carry their type, int64 as a string, and links their ids", "[otlp]") {
  auto span = make_span("00f067aa0ba902b7", "node-a");
  auto add = [&](const std::string& key) {
    auto* attribute = span.add_attributes();
    attribute->set_key(key);
    return attribute;
  };
  add("http.route")->set_string_value("/api/v2/tasks");
  add("big")->set_int_value(std::numeric_limits<std::int64_t>::max());
  add("small")->set_int_value(std::numeric_limits<std::int64_t>::min());
  add("ratio")->set_double_value(0.25);
  add("nan")->set_double_value(std::nan(""));
  add("inf")->set_double_value(-std::numeric_limits<double>::infinity());
  add("cached")->set_bool_value(false);
  add("unset");
  auto* link = span.add_links();
  link->set_trace_id("0af7651916cd43dd8448eb211c80319c");
  link->set_span_id("b9c7c989f97918e1");

  const auto encoded = encode({span})["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  const auto& attributes = encoded.at("attributes");
  CHECK(attributes.size() == 8);
  CHECK(attribute(attributes, "http.route") == json{{"stringValue", "/api/v2/tasks"}});
  CHECK(attribute(attributes, "big") == json{{"intValue", "9223372036854775807"}});
  CHECK(attribute(attributes, "small") == json{{"intValue", "-9223372036854775808"}});
  CHECK(attribute(attributes, "ratio") == json{{"doubleValue", 0.25}});
  // protobuf's JSON names for the doubles JSON has no number for.
  CHECK(attribute(attributes, "nan") == json{{"doubleValue", "NaN"}});
  CHECK(attribute(attributes, "inf") == json{{"doubleValue", "-Infinity"}});
  CHECK(attribute(attributes, "cached") == json{{"boolValue", false}});
  CHECK(attribute(attributes, "unset") == json::object());
  CHECK(encoded.at("links") ==
        json::array({json{{"traceId", "0af7651916cd43dd8448eb211c80319c"}, {"spanId", "b9c7c989f97918e1"}}}));
}

TEST_CASE("spans are grouped by node, one resource each, in the order nodes first appear", "[otlp]") {
  auto doc = encode({make_span("0000000000000001", "node-b"), make_span("0000000000000002", "node-a"),
                     make_span("0000000000000003", "node-b"), make_span("0000000000000004", "")});
  const auto& resources = doc.at("resourceSpans");
  REQUIRE(resources.size() == 3);

  auto ids = [](const json& resource) {
    std::vector<std::string> out;
    for (const auto& span : resource["scopeSpans"][0]["spans"])
      out.push_back(span.at("spanId"));
    return out;
  };
  const auto& b = resources[0];
  CHECK(attribute(b["resource"]["attributes"], "service.name") == json{{"stringValue", "taskflow"}});
  CHECK(attribute(b["resource"]["attributes"], "service.version") == json{{"stringValue", "1.2.3"}});
  CHECK(attribute(b["resource"]["attributes"], "service.instance.id") == json{{"stringValue", "node-b"}});
  CHECK(ids(b) == std::vector<std::string>{"0000000000000001", "0000000000000003"});

  const auto& a = resources[1];
  CHECK(attribute(a["resource"]["attributes"], "service.instance.id") == json{{"stringValue", "node-a"}});
  CHECK(ids(a) == std::vector<std::string>{"0000000000000002"});

  // A span that names no node: no instance id rather than an empty one.
  const auto& anonymous = resources[2]["resource"]["attributes"];
  CHECK(anonymous.size() == 2);
  CHECK(ids(resources[2]) == std::vector<std::string>{"0000000000000004"});
}

TEST_CASE("an empty batch is an empty request, and text that is not UTF-8 is replaced", "[otlp]") {
  CHECK(encode({}) == json{{"resourceSpans", json::array()}});

  auto span = make_span("00f067aa0ba902b7", "node-a");
  span.set_name("GET /tasks/\xff\xfe");
  std::string body;
  REQUIRE_NOTHROW(body = runtime::otlp_trace_request(std::vector<messages::Span>{span}, service));
  CHECK(json::parse(body)["resourceSpans"][0]["scopeSpans"][0]["spans"][0].at("name") ==
        "GET /tasks/\xef\xbf\xbd\xef\xbf\xbd");
}
