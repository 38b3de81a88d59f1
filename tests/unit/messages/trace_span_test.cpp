// W3C Trace Context (https://www.w3.org/TR/trace-context/#traceparent-header)
// as spans continue it: a caller's trace is continued only when its
// traceparent is exactly valid, its sampled flag is followed, anything else
// starts a new trace, and each span's id is fresh. Only a sampled span with a
// tracer installed records, once.
#include <catch2/catch.hpp>

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "messages/trace/span.hpp"
#include "messages/trace/tracer.hpp"

using namespace taskflow;
using trace::span;

namespace {

const std::string trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
const std::string parent_id = "00f067aa0ba902b7";
const std::string valid = "00-" + trace_id + "-" + parent_id + "-01";

bool lower_hex(std::string_view s, std::size_t size) {
  return s.size() == size && s.find_first_not_of("0123456789abcdef") == std::string_view::npos &&
         s.find_first_not_of('0') != std::string_view::npos;
}

trace::context started(std::string_view traceparent) {
  return span::start("test", trace::kind::server, traceparent).ctx();
}

// A fresh random trace id colliding with the sample's is not a realistic
// outcome: the trace id surviving means the traceparent was continued.
bool continued(std::string_view traceparent) {
  return started(traceparent).trace_id == trace_id;
}

struct recording_tracer final : trace::tracer {
  bool sample = false;
  int starts = 0;
  std::vector<messages::Span> spans;
  bool sample_root() override { return sample; }
  void started() override { ++starts; }
  void record(messages::Span s) override { spans.push_back(std::move(s)); }
};

// Installs a tracer for one test case; the process has no tracer after it.
struct installed_tracer {
  std::shared_ptr<recording_tracer> t = std::make_shared<recording_tracer>();
  installed_tracer() { trace::install(t); }
  ~installed_tracer() { trace::install(nullptr); }
};

}  // namespace

TEST_CASE("a valid traceparent is continued with a new span id", "[trace]") {
  auto ctx = started(valid);
  CHECK(ctx.trace_id == trace_id);
  CHECK(ctx.sampled);
  CHECK(lower_hex(ctx.span_id, 16));
  CHECK(ctx.span_id != parent_id);
  CHECK(ctx.traceparent() == "00-" + trace_id + "-" + ctx.span_id + "-01");
}

TEST_CASE("the caller's sampled flag is followed", "[trace]") {
  CHECK_FALSE(started("00-" + trace_id + "-" + parent_id + "-00").sampled);
  CHECK(started("00-" + trace_id + "-" + parent_id + "-ff").sampled);
  CHECK(started("00-" + trace_id + "-" + parent_id + "-00").traceparent().substr(52) == "-00");
}

TEST_CASE("each span gets its own id", "[trace]") {
  std::set<std::string> spans;
  for (int i = 0; i < 1000; ++i)
    spans.insert(started(valid).span_id);
  CHECK(spans.size() == 1000);
}

TEST_CASE("without a traceparent a new trace starts, sampled as the tracer decides", "[trace]") {
  auto ctx = started("");
  CHECK(lower_hex(ctx.trace_id, 32));
  CHECK(lower_hex(ctx.span_id, 16));
  CHECK_FALSE(ctx.sampled);  // no tracer installed
  CHECK(ctx.traceparent().size() == 55);
  CHECK(started("").trace_id != ctx.trace_id);
  installed_tracer tracer;
  tracer.t->sample = true;
  CHECK(started("").sampled);
  tracer.t->sample = false;
  CHECK_FALSE(started("").sampled);
}

TEST_CASE("an all-zero trace id or parent id is invalid and not continued", "[trace]") {
  CHECK_FALSE(continued("00-" + std::string(32, '0') + "-" + parent_id + "-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + std::string(16, '0') + "-01"));
  CHECK(lower_hex(started("00-" + std::string(32, '0') + "-" + parent_id + "-01").trace_id, 32));
}

TEST_CASE("upper-case hex is invalid and not continued", "[trace]") {
  CHECK_FALSE(continued("00-4BF92F3577B34DA6A3CE929D0E0E4736-" + parent_id + "-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-00F067AA0BA902B7-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + parent_id + "-0A"));
}

TEST_CASE("fields of the wrong length or other versions are invalid and not continued", "[trace]") {
  CHECK_FALSE(continued("00-" + trace_id + "a-" + parent_id + "-01"));
  CHECK_FALSE(continued("00-" + trace_id.substr(1) + "-" + parent_id + "-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + parent_id + "a-01"));
  CHECK_FALSE(continued("00-" + trace_id + "-" + parent_id.substr(1) + "-01"));
  CHECK_FALSE(continued("01-" + trace_id + "-" + parent_id + "-01"));
  CHECK_FALSE(continued(valid + "-extra"));
  CHECK_FALSE(continued(" " + valid));
}

TEST_CASE("a sampled span records once, as the child of its parent, with what it was given", "[trace]") {
  installed_tracer tracer;
  auto s = span::start("GET /x", trace::kind::server, valid);
  REQUIRE(s.recording());
  s.attr("http.response.status_code", 200).attr("url.path", "/x").fail("boom");
  auto copy = s;
  s.end();
  copy.end();
  REQUIRE(tracer.t->spans.size() == 1);
  CHECK(tracer.t->starts == 1);
  const auto& recorded = tracer.t->spans.front();
  CHECK(recorded.trace_id() == trace_id);
  CHECK(recorded.parent_span_id() == parent_id);
  CHECK(recorded.span_id() == s.ctx().span_id);
  CHECK(recorded.kind() == messages::Span::KIND_SERVER);
  CHECK(recorded.error());
  CHECK(recorded.status_message() == "boom");
  CHECK(recorded.attributes_size() == 2);
  CHECK(recorded.end_unix_nano() >= recorded.start_unix_nano());
}

TEST_CASE("an unsampled span hands on its context and records nothing; its children neither", "[trace]") {
  installed_tracer tracer;
  auto s = span::start("GET /x", trace::kind::server, "00-" + trace_id + "-" + parent_id + "-00");
  CHECK_FALSE(s.recording());
  auto child = s.child("authenticate", trace::kind::internal);
  CHECK_FALSE(child.recording());
  CHECK(child.traceparent() == s.traceparent());
  child.end();
  s.end();
  CHECK(tracer.t->spans.empty());
  CHECK(tracer.t->starts == 0);
}

TEST_CASE("a child of a recording span is recorded under it", "[trace]") {
  installed_tracer tracer;
  auto parent = span::start("POST /tasks", trace::kind::server, valid);
  auto child = parent.child("authenticate", trace::kind::internal);
  REQUIRE(child.recording());
  child.end();
  parent.end();
  REQUIRE(tracer.t->spans.size() == 2);
  CHECK(tracer.t->spans[0].parent_span_id() == parent.ctx().span_id);
  CHECK(tracer.t->spans[0].trace_id() == trace_id);
}

TEST_CASE("a trace may start unsampled whatever the ratio, yet a caller's sampled flag is still followed", "[trace]") {
  installed_tracer tracer;
  tracer.t->sample = true;
  CHECK_FALSE(span::start("GET /metrics", trace::kind::server, "", trace::new_traces::unsampled).recording());
  CHECK(span::start("GET /metrics", trace::kind::server, valid, trace::new_traces::unsampled).recording());
}
