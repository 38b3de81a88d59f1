// Overload: past its in-flight budget an edge answers 503 with Retry-After
// at once, its probes keep answering, nothing else fails, it serves normally
// again once the burst has passed, and the refusals make one log line, not one
// each.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;

TEST_CASE("a burst beyond the in-flight budget is shed with 503 and Retry-After, probes still answer",
          "[e2e][overload]") {
  // Sign-ins spend an Argon2 hash each, so a burst of them keeps slots busy
  // long enough to overlap. Rate limits off: they must not answer first.
  server_process server{{"--max-in-flight-requests", "2", "--rate-limit-auth", "0", "--rate-limit-ip", "0",
                         "--rate-limit-login-failures", "0"}};
  auto port = server.port();

  constexpr int clients = 24;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::mutex mutex;
  std::map<int, int> by_status;
  std::vector<http_result> shed;
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i)
    threads.emplace_back([&] {
      http_client client{port};
      client.get("/healthz");  // connected before the burst
      ++ready;
      while (!go)
        std::this_thread::yield();
      auto answer =
          client.post_json("/api/v1/sessions", {{"email", test_admin_email}, {"password", test_admin_password}});
      std::lock_guard lock{mutex};
      ++by_status[answer.status];
      if (answer.status == 503)
        shed.push_back(answer);
    });
  while (ready < clients)
    std::this_thread::yield();
  go = true;
  http_client probe{port};
  auto health = probe.get("/healthz");
  for (auto& t : threads)
    t.join();

  CHECK(health.status == 200);
  INFO("answers by status: " << nlohmann::json(by_status).dump());
  CHECK(by_status[201] + by_status[503] == clients);
  CHECK(by_status[201] >= 2);
  REQUIRE_FALSE(shed.empty());
  for (const auto& answer : shed) {
    CHECK(answer.header("retry-after") == "1");
    CHECK(answer.header("content-type") == "application/problem+json");
    CHECK(answer.json().at("type") == "/problems/unavailable");
  }

  // The slots came back: a request after the burst is served.
  http_client after{port};
  CHECK(after.post_json("/api/v1/sessions", {{"email", test_admin_email}, {"password", test_admin_password}}).status ==
        201);
  auto metrics = after.get("/metrics").body;
  CHECK_THAT(metrics, Catch::Contains("taskflow_http_requests_shed_total " + std::to_string(by_status[503])));
  CHECK_THAT(metrics, Catch::Contains("taskflow_http_requests_in_flight 0"));

  // The log summarises the refusals instead of a line each: a line per 503
  // would add work to a node that has none to spare.
  auto log = server.log();
  CHECK_THAT(log, Catch::Contains("\"event\":\"requests_shed\""));
  CHECK_THAT(log, !Catch::Contains("\"status\":503"));
}
