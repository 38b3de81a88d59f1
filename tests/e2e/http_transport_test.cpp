// The transport: keep-alive, pipelining in order, HEAD/OPTIONS, the common
// headers, the operations endpoints, request logs and a clean SIGTERM.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>

#include <sys/wait.h>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

TEST_CASE("pipelined requests on one connection are answered in order", "[e2e][transport]") {
  server_process server;
  http_client c{server.port()};
  auto token = sign_in_as_admin(c)["access_token"].get<std::string>();
  std::string body = R"({"title":"pipelined"})";
  std::string post = "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                     "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                     "\r\n\r\n" + body;
  std::string wire = post + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n" +
                     post + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto reply = c.raw_exchange(wire);
  auto statuses = statuses_in(reply);
  CHECK(statuses == std::vector<std::string>{"201", "200", "404", "201", "200"});
}

TEST_CASE("a keep-alive connection serves many requests", "[e2e][transport]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  for (int i = 0; i < 50; ++i)
    REQUIRE(c.post_json("/api/v1/tasks", {{"title", "k" + std::to_string(i)}}).status == 201);
}

TEST_CASE("every response carries request id and security headers", "[e2e][transport]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto r = c.get("/api/v1/tasks", {{"X-Request-Id", "client-chosen-42"}});
  CHECK(r.header("x-request-id") == "client-chosen-42");
  CHECK(r.header("x-content-type-options") == "nosniff");
  CHECK(r.header("cache-control") == "no-store");
  CHECK(r.header("api-supported-versions") == "1, 2");
  auto generated = c.get("/healthz", {{"X-Request-Id", "has spaces and \"quotes\""}});
  CHECK(generated.header("x-request-id").size() == 36);
}

TEST_CASE("HEAD mirrors GET without a body, OPTIONS lists methods", "[e2e][transport]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto head = c.request("HEAD", "/api/v1/tasks");
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  auto options = c.request("OPTIONS", "/api/v1/tasks");
  CHECK(options.status == 204);
  CHECK(options.header("allow").find("POST") != std::string::npos);
}

TEST_CASE("healthz, readyz and metrics", "[e2e][transport]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  CHECK(c.get("/healthz").json()["status"] == "ok");
  auto ready = c.get("/readyz");
  CHECK(ready.status == 200);
  CHECK(ready.json()["checks"]["store"] == "up");
  REQUIRE(c.post_json("/api/v1/tasks", {{"title", "counted"}}).status == 201);
  auto metrics = c.get("/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.header("content-type").rfind("text/plain; version=0.0.4", 0) == 0);
  CHECK(metrics.body.find(R"(taskflow_http_requests_total{method="POST",route="/api/v1/tasks",status="201"} 1)") !=
        std::string::npos);
  CHECK(metrics.body.find("taskflow_http_request_duration_seconds_bucket") != std::string::npos);
  // The bootstrap admin's user actor, the sign-in's session actor, the task.
  CHECK(metrics.body.find("taskflow_actors_resident 3") != std::string::npos);
  CHECK(metrics.body.find("taskflow_actor_activations_total 3") != std::string::npos);
  CHECK(metrics.body.find("taskflow_outbox_backlog") != std::string::npos);
  CHECK(metrics.body.find("taskflow_build_info{version=\"") != std::string::npos);
  for (const auto* series : {"process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_open_fds ",
                             "process_max_fds ", "process_start_time_seconds ", "process_virtual_memory_bytes "}) {
    INFO(series);
    CHECK(metrics.body.find(std::string{"\n"} + series) != std::string::npos);
  }
}

TEST_CASE("/ is a page of links, not a 404", "[e2e][transport]") {
  server_process server;
  http_client c{server.port()};
  auto page = c.get("/");
  CHECK(page.status == 200);
  CHECK(page.header("content-type") == "text/html; charset=utf-8");
  for (const auto* link : {"href=\"/admin\"", "href=\"/api/v1/openapi.json\"", "href=\"/api/v2/openapi.json\"",
                           "href=\"/healthz\"", "href=\"/metrics\""}) {
    INFO(link);
    CHECK(page.body.find(link) != std::string::npos);
  }
  // Every link it offers answers; the console's with its page, whose 401
  // to a caller without a token (a browser) is how it asks for a sign-in.
  for (const auto* path : {"/api/v1/openapi.json", "/api/v2/openapi.json", "/healthz", "/metrics"}) {
    INFO(path);
    CHECK(c.get(path).status == 200);
  }
  for (const auto* path : {"/admin", "/admin/"}) {
    INFO(path);
    auto console = c.get(path);
    CHECK(console.status == 401);
    CHECK(console.body.find("/admin/assets/app.js") != std::string::npos);
  }
}

TEST_CASE("one JSON log line per request, with its request id", "[e2e][transport]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  c.get("/api/v1/tasks", {{"X-Request-Id", "trace-me-1"}});
  c.get("/api/v1/tasks", {{"X-Request-Id", "trace-me-1"}});
  auto log = server.log();
  int lines = 0;
  std::istringstream in{log};
  for (std::string line; std::getline(in, line);) {
    auto entry = json::parse(line);  // every line is JSON
    if (entry["event"] == "http_request" && entry["request_id"] == "trace-me-1") {
      ++lines;
      CHECK(entry["route"] == "/api/v1/tasks");
      CHECK(entry["status"] == 200);
    }
  }
  CHECK(lines == 2);
}

TEST_CASE("SIGTERM drains and exits 0", "[e2e][transport]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  REQUIRE(c.post_json("/api/v1/tasks", {{"title", "before shutdown"}}).status == 201);
  CHECK(server.terminate() == 0);
  CHECK(server.log().find("\"event\":\"stopped\"") != std::string::npos);
}

TEST_CASE("bad flags exit 2 with a message naming the flag", "[e2e][transport]") {
  auto status = std::system((std::string{TASKFLOW_BINARY_FOR_TESTS} + " serve --listen nowhere 2>/dev/null").c_str());
  CHECK(WEXITSTATUS(status) == 2);
}
