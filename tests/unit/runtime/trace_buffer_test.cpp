// A node's trace buffer (bounded: the latest traces, and the slowest few per
// route however old) and how the admin gateway puts a trace's parts from
// several nodes together: summaries merged by trace id, and the critical
// path through the spans.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/admin/trace_assembly.hpp"
#include "runtime/observability/tracing/trace_buffer.hpp"

using namespace taskflow;

namespace {

std::string trace_of(int n) {
  auto digits = std::to_string(n + 1);
  return std::string(32 - digits.size(), 'a') + digits;
}

messages::Span make_span(const std::string& trace, const std::string& id, const std::string& parent,
                         std::uint64_t start_ms, std::uint64_t end_ms, const std::string& route = {}) {
  messages::Span s;
  s.set_trace_id(trace);
  s.set_span_id(id);
  s.set_parent_span_id(parent);
  s.set_name(route.empty() ? "work" : "GET " + route);
  s.set_start_unix_nano(start_ms * 1'000'000);
  s.set_end_unix_nano(end_ms * 1'000'000);
  if (!route.empty()) {
    s.set_kind(messages::Span::KIND_SERVER);
    auto* a = s.add_attributes();
    a->set_key("http.route");
    a->set_string_value(route);
    auto* status = s.add_attributes();
    status->set_key("http.response.status_code");
    status->set_int_value(200);
  }
  return s;
}

}  // namespace

TEST_CASE("the buffer keeps the latest traces, and the slowest per route however old", "[trace_buffer]") {
  runtime::trace_buffer buffer{{4, 16, 1}};
  // Trace 0 is slow; the nine after it are quick and push it out of the latest.
  buffer.add(make_span(trace_of(0), "a0", "", 1000, 1900, "/api/v1/tasks"));
  for (int i = 1; i < 10; ++i)
    buffer.add(make_span(trace_of(i), "s" + std::to_string(i), "", 2000 + i, 2001 + i, "/api/v1/tasks"));
  auto listed = buffer.list(messages::ListTraces{});
  REQUIRE(listed.size() == 5);  // the 4 latest and the slowest
  CHECK(listed.front().trace_id() == trace_of(9));
  CHECK(listed.back().trace_id() == trace_of(0));
  CHECK(buffer.spans_of(trace_of(0)).size() == 1);
  CHECK(buffer.spans_of(trace_of(1)).empty());

  messages::ListTraces slow;
  slow.set_min_ms(500);
  auto slow_ones = buffer.list(slow);
  REQUIRE(slow_ones.size() == 1);
  CHECK(slow_ones[0].route() == "/api/v1/tasks");
  CHECK(slow_ones[0].status() == 200);

  // A slower one takes the only place; the old slowest is forgotten.
  buffer.add(make_span(trace_of(10), "b", "", 3000, 5000, "/api/v1/tasks"));
  CHECK(buffer.spans_of(trace_of(0)).empty());
  messages::ListTraces other_route;
  other_route.set_route("/api/v1/users/me");
  CHECK(buffer.list(other_route).empty());
}

TEST_CASE("a trace keeps at most its cap of spans, in order of start", "[trace_buffer]") {
  runtime::trace_buffer buffer{{8, 3, 1}};
  for (int i = 5; i > 0; --i)
    buffer.add(make_span(trace_of(0), "s" + std::to_string(i), "root", 100 + i, 200));
  auto spans = buffer.spans_of(trace_of(0));
  REQUIRE(spans.size() == 3);
  CHECK(spans[0].span_id() == "s3");
  CHECK(spans[2].span_id() == "s5");
}

TEST_CASE("nodes' summaries of one trace merge into one, newest trace first", "[trace_buffer]") {
  messages::TraceSummaries edge, worker;
  edge.set_node_id("e1");
  worker.set_node_id("w1");
  auto* e = edge.add_traces();
  e->set_trace_id(trace_of(1));
  e->set_name("POST /api/v1/tasks");
  e->set_route("/api/v1/tasks");
  e->set_status(201);
  e->set_start_unix_nano(100);
  e->set_end_unix_nano(900);
  e->set_span_count(3);
  auto* w = worker.add_traces();
  w->set_trace_id(trace_of(1));
  w->set_name("task create");
  w->set_start_unix_nano(200);
  w->set_end_unix_nano(1200);
  w->set_span_count(5);
  w->set_error(true);
  auto* alone = worker.add_traces();
  alone->set_trace_id(trace_of(2));
  alone->set_start_unix_nano(50);
  alone->set_end_unix_nano(60);
  alone->set_span_count(1);

  auto merged = runtime::merge_summaries({edge, worker});
  REQUIRE(merged.size() == 2);
  const auto& one = merged[0].summary;
  CHECK(one.trace_id() == trace_of(1));
  CHECK(one.name() == "POST /api/v1/tasks");
  CHECK(one.route() == "/api/v1/tasks");
  CHECK(one.status() == 201);
  CHECK(one.start_unix_nano() == 100);
  CHECK(one.end_unix_nano() == 1200);
  CHECK(one.span_count() == 8);
  CHECK(one.error());
  CHECK(merged[0].nodes == std::vector<std::string>{"e1", "w1"});
  CHECK(merged[1].nodes == std::vector<std::string>{"w1"});
}

TEST_CASE("the critical path follows, from the root, the child that ended last", "[trace_buffer]") {
  auto t = trace_of(0);
  std::vector<messages::Span> spans{
      make_span(t, "http", "caller", 0, 100),  // its parent is the caller's: a root here
      make_span(t, "auth", "http", 1, 5),       make_span(t, "hop", "http", 6, 90),
      make_span(t, "actor", "hop", 10, 80),     make_span(t, "commit", "actor", 12, 70),
      make_span(t, "publish", "actor", 71, 75), make_span(t, "batch", "", 12, 60),  // another root that ended earlier
  };
  auto path = runtime::critical_path(spans);
  CHECK(path == std::vector<bool>{true, false, true, true, false, true, false});
}

TEST_CASE("a trace whose spans name each other as parents does not loop", "[trace_buffer]") {
  auto t = trace_of(0);
  std::vector<messages::Span> spans{make_span(t, "a", "b", 0, 10), make_span(t, "b", "a", 1, 9)};
  auto path = runtime::critical_path(spans);
  CHECK(path.size() == 2);
}
