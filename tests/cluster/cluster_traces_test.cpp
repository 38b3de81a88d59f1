// Distributed traces across nodes, as an OpenTelemetry collector receives
// them: an edge-only node and a worker on real nats-server and PostgreSQL,
// each exporting over OTLP/HTTP to a loopback receiver of this test's own.
// One POST through the edge, with the caller's sampled traceparent, must come
// back as one trace: the edge's HTTP span (continuing the caller's), its
// client span for the hop, the worker's server span, the task actor's
// handling, the store commit (linked to its batch), the relay's publish and
// the projector's handling, each the child of the one before. The admin API
// gathers the same trace from both nodes. A collector that is down costs the
// requests nothing: they are answered, and the spans are dropped and counted.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <thread>

#include <zlib.h>
#include <nlohmann/json.hpp>

#include "tests/cluster/cluster_harness.hpp"
#include "tests/e2e/support/eventually.hpp"
#include "tests/e2e/support/webhook_receiver.hpp"

using namespace taskflow;
using namespace taskflow::cluster_test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

const std::string trace_id = "5cf92f3577b34da6a3ce929d0e0e4736";
const std::string caller_span = "10f067aa0ba902b7";

std::string gunzip(const std::string& bytes) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    return {};
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - z.avail_out);
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string{};
}

struct received_span {
  json span;
  std::string node;  // the resource's service.instance.id
};

// Every span of `trace` the receiver got, by span id.
std::map<std::string, received_span> spans_of(const e2e::webhook_receiver& receiver, const std::string& trace) {
  std::map<std::string, received_span> out;
  for (const auto& request : receiver.received()) {
    auto body = request.headers.count("content-encoding") ? gunzip(request.body) : request.body;
    auto parsed = json::parse(body, nullptr, false);
    if (parsed.is_discarded())
      continue;
    for (const auto& resource : parsed.value("resourceSpans", json::array())) {
      std::string node;
      for (const auto& a : resource["resource"].value("attributes", json::array()))
        if (a["key"] == "service.instance.id")
          node = a["value"]["stringValue"];
      for (const auto& scope : resource.value("scopeSpans", json::array()))
        for (const auto& span : scope.value("spans", json::array()))
          if (span["traceId"] == trace)
            out[span["spanId"]] = {span, node};
    }
  }
  return out;
}

// The first span named `name` (or starting with it), else null.
const received_span* named(const std::map<std::string, received_span>& spans, const std::string& name) {
  for (const auto& [id, s] : spans)
    if (s.span["name"].get<std::string>().rfind(name, 0) == 0)
      return &s;
  return nullptr;
}

std::string parent_of(const received_span& s) {
  return s.span.value("parentSpanId", "");
}

double counter(const std::string& metrics, const std::string& series) {
  auto at = metrics.find("\n" + series + " ");
  return at == std::string::npos ? 0.0 : std::strtod(metrics.c_str() + at + series.size() + 2, nullptr);
}

}  // namespace

TEST_CASE("one POST through an edge to a worker is one trace from the HTTP span to the projector", "[cluster]") {
  e2e::webhook_receiver collector{{200}};
  // Only the test's own request is sampled: its traceparent says so.
  ::setenv("TASKFLOW_OTLP_ENDPOINT", collector.url().c_str(), 1);
  ::setenv("TASKFLOW_TRACE_SAMPLE_RATIO", "0", 1);
  cluster_harness cluster;
  // w1 is the only worker, so every key's actor is on it; e1 hosts none.
  cluster.add_node("w1");
  cluster.add_node("e1", "edge");
  auto edge = cluster.node("e1").port();
  cluster.await_members(edge, {"w1"}, 15s);

  progress("POST /api/v1/tasks through e1 with a sampled traceparent");
  e2e::http_client c{edge};
  c.set_default_header("Authorization", "Bearer " + cluster.token());
  auto created = c.post_json("/api/v1/tasks", {{"title", "traced"}},
                             {{"traceparent", "00-" + trace_id + "-" + caller_span + "-01"}});
  INFO(created.body);
  REQUIRE(created.status == 201);

  std::map<std::string, received_span> spans;
  REQUIRE(e2e::eventually(
      [&] {
        spans = spans_of(collector, trace_id);
        // Each node exports on its own schedule (a batch a second at most).
        return named(spans, "POST /api/v1/tasks") != nullptr && named(spans, "process projector") != nullptr;
      },
      20s));
  for (const auto& [id, s] : spans)
    UNSCOPED_INFO(s.node << " " << s.span["name"] << " " << id << " <- " << parent_of(s));

  const auto* http = named(spans, "POST /api/v1/tasks");
  REQUIRE(http);
  // OTLP kinds: 2 server, 3 client.
  const received_span* served = nullptr;
  const received_span* client = nullptr;
  for (const auto& [id, s] : spans)
    if (s.span["name"] == "taskflow.ShardHost/TaskCommand")
      (s.span["kind"] == 2 ? served : client) = &s;
  const auto* handled = named(spans, "task create");
  const auto* commit = named(spans, "commit tasks");
  const auto* publish = named(spans, "publish taskflow.events");
  const auto* projected = named(spans, "process projector");
  REQUIRE(served);
  REQUIRE(client);
  REQUIRE(handled);
  REQUIRE(commit);
  REQUIRE(publish);
  REQUIRE(projected);

  // The caller's trace is continued, not replaced: its span is the parent.
  CHECK(parent_of(*http) == caller_span);
  CHECK(http->span["kind"] == 2);
  // Parent and child from the edge's HTTP span down to the projector.
  CHECK(parent_of(*client) == http->span["spanId"]);
  CHECK(parent_of(*served) == client->span["spanId"]);
  CHECK(parent_of(*handled) == served->span["spanId"]);
  CHECK(parent_of(*commit) == handled->span["spanId"]);
  CHECK(parent_of(*publish) == handled->span["spanId"]);
  CHECK(parent_of(*projected) == publish->span["spanId"]);
  // Across both nodes.
  CHECK(http->node == "e1");
  CHECK(client->node == "e1");
  CHECK(served->node == "w1");
  CHECK(handled->node == "w1");
  CHECK(commit->node == "w1");
  // The commit rode in a batch: a link to it, and the database named.
  REQUIRE(commit->span.contains("links"));
  CHECK(commit->span["links"].size() == 1);
  bool postgres = false;
  for (const auto& a : commit->span["attributes"])
    postgres = postgres || (a["key"] == "db.system" && a["value"]["stringValue"] == "postgresql");
  CHECK(postgres);

  progress("the admin API gathers the trace from both nodes");
  auto gathered = c.get("/admin/api/traces/" + trace_id);
  INFO(gathered.body);
  REQUIRE(gathered.status == 200);
  auto trace = gathered.json();
  std::set<std::string> nodes;
  for (const auto& s : trace["spans"])
    nodes.insert(s["node"].get<std::string>());
  CHECK(nodes == std::set<std::string>{"e1", "w1"});
  auto listed = c.get("/admin/api/traces?route=/api/v1/tasks");
  REQUIRE(listed.status == 200);
  auto list = listed.json();
  bool found = false;
  for (const auto& t : list["items"])
    found = found || t["trace_id"] == trace_id;
  CHECK(found);
  CHECK(c.get("/admin/api/traces/" + std::string(32, 'f')).status == 404);
  CHECK(c.get("/admin/api/traces/not-a-trace").status == 400);
}

TEST_CASE("a collector that is down costs requests nothing, and its dropped spans are counted", "[cluster]") {
  std::string down_url;
  {
    // A port that was just listened on and now is closed: nothing answers.
    e2e::webhook_receiver gone{{200}};
    down_url = gone.url();
  }
  ::setenv("TASKFLOW_OTLP_ENDPOINT", down_url.c_str(), 1);
  ::setenv("TASKFLOW_TRACE_SAMPLE_RATIO", "1", 1);
  cluster_harness cluster;
  cluster.add_node("w1");
  auto port = cluster.node("w1").port();
  e2e::http_client c{port};
  c.set_default_header("Authorization", "Bearer " + cluster.token());
  for (int i = 0; i < 20; ++i)
    REQUIRE(c.post_json("/api/v1/tasks", {{"title", "untraced " + std::to_string(i)}}).status == 201);
  // Each batch fails after its retries (a second or so against a closed port).
  REQUIRE(e2e::eventually(
      [&] {
        auto metrics = c.get("/metrics").body;
        return counter(metrics, "taskflow_trace_spans_dropped_total{reason=\"export_failed\"}") > 0;
      },
      30s));
  auto metrics = c.get("/metrics").body;
  CHECK(counter(metrics, "taskflow_trace_export_errors_total") > 0);
  CHECK(counter(metrics, "taskflow_trace_spans_exported_total") == 0);
  // The spans are still in the node's own buffer for the console.
  auto listed = c.get("/admin/api/traces?route=/api/v1/tasks&limit=200");
  REQUIRE(listed.status == 200);
  CHECK(listed.json()["items"].size() >= 20);
}
