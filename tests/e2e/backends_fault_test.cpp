// The node on real PostgreSQL, NATS JetStream and Redis (tools/stack/stack,
// one throw-away stack per case), with those servers stopped and restarted
// under load, and the node itself killed with SIGKILL. Every load loop is
// bounded in time.
#include <catch2/catch.hpp>

#include <atomic>
#include <regex>
#include <set>
#include <thread>

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include "tests/e2e/support/eventually.hpp"
#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"
#include "tests/support/test_stack.hpp"

using namespace taskflow::e2e;
using namespace std::chrono_literals;
using nlohmann::json;
using clock_type = std::chrono::steady_clock;

namespace {

std::vector<std::string> backend_flags(const taskflow::testing::test_stack& stack, bool redis = true) {
  std::vector<std::string> flags{"--postgres", stack.postgres_url(), "--nats", stack.nats_url(), "--node-id", "e2e"};
  if (redis) {
    flags.push_back("--redis");
    flags.push_back(stack.redis_url());
  }
  return flags;
}

std::int64_t sql_count(const std::string& url, const std::string& sql) {
  pqxx::connection conn{url};
  pqxx::nontransaction tx{conn};
  return tx.exec(sql)[0][0].as<std::int64_t>();
}

std::string id_list(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids)
    out += (out.empty() ? "'" : ",'") + id + "'";
  return out;
}

// The value of one Prometheus series on /metrics, or 0 when absent.
double metric(http_client& c, const std::string& series) {
  auto text = c.get("/metrics").body;
  auto at = text.find("\n" + series + " ");
  if (at == std::string::npos)
    return 0;
  return std::stod(text.substr(at + series.size() + 2));
}

// Posts tasks as fast as one connection allows until stopped, recording
// the id of every 201 and the status of everything else.
struct writer {
  // Signs in once, before the load, so an outage later cannot stop the
  // writer from authenticating; every reconnect reuses the token.
  explicit writer(std::uint16_t port) : port_(port) {
    http_client first{port_};
    token_ = sign_in_as_admin(first)["access_token"].get<std::string>();
    thread_ = std::thread{[this] { run(); }};
  }
  ~writer() { stop(); }
  void stop() {
    stopping_ = true;
    if (thread_.joinable())
      thread_.join();
  }

  std::mutex mutex;
  std::vector<std::string> created;
  std::vector<int> failures;  // statuses other than 201; 0 = no answer
  std::vector<std::chrono::milliseconds> failure_latency;
  bool all_503_had_retry_after = true;

private:
  void run() {
    int n = 0;
    while (!stopping_) {
      try {
        http_client c{port_};
        c.set_default_header("Authorization", "Bearer " + token_);
        while (!stopping_) {
          auto started = clock_type::now();
          auto r = c.post_json("/api/v1/tasks", {{"title", "load " + std::to_string(n++)}});
          auto took = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - started);
          std::lock_guard lock{mutex};
          if (r.status == 201) {
            created.push_back(r.json()["id"].get<std::string>());
          } else {
            failures.push_back(r.status);
            failure_latency.push_back(took);
            if (r.status == 503 && r.header("retry-after").empty())
              all_503_had_retry_after = false;
            std::this_thread::sleep_for(5ms);
          }
        }
      } catch (const std::exception&) {
        std::lock_guard lock{mutex};
        failures.push_back(0);
        std::this_thread::sleep_for(20ms);
      }
    }
  }
  std::uint16_t port_;
  std::string token_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace

TEST_CASE("on PostgreSQL, NATS and Redis the API works and lists catch up", "[e2e][backends]") {
  taskflow::testing::test_stack stack;
  server_process server{backend_flags(stack)};
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto ready = c.get("/readyz").json();
  CHECK(ready["checks"]["postgres"] == "up");
  CHECK(ready["checks"]["nats"] == "up");
  CHECK(ready["checks"]["redis"] == "up");
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i)
    ids.push_back(c.post_json("/api/v1/tasks", {{"title", "t" + std::to_string(i)}}).json()["id"]);
  CHECK(c.patch_json("/api/v1/tasks/" + ids[0], {{"title", "renamed"}}, "\"1\"").status == 200);
  CHECK(eventually([&] { return c.get("/api/v1/tasks?page_size=100").json()["total"] == 20; }, 10s));
  CHECK(sql_count(stack.postgres_url(), "SELECT COUNT(*) FROM tasks") == 20);
}

TEST_CASE("PostgreSQL stopped: writes fail fast with 503 and Retry-After, and resume after", "[e2e][backends][fault]") {
  taskflow::testing::test_stack stack;
  server_process server{backend_flags(stack)};
  writer load{server.port()};
  std::this_thread::sleep_for(1s);
  stack.stop("postgres");
  std::this_thread::sleep_for(3s);
  {
    http_client c{server.port()};
    auto ready = c.get("/readyz");
    CHECK(ready.status == 503);
  }
  stack.restart("postgres");
  // Writes succeed again once the breaker lets a probe through.
  std::size_t before = 0;
  {
    std::lock_guard lock{load.mutex};
    before = load.created.size();
  }
  CHECK(eventually(
      [&] {
        std::lock_guard lock{load.mutex};
        return load.created.size() > before + 20;
      },
      20s));
  load.stop();

  std::lock_guard lock{load.mutex};
  CHECK(load.all_503_had_retry_after);
  std::size_t fast = 0;
  for (std::size_t i = 0; i < load.failures.size(); ++i) {
    CHECK((load.failures[i] == 503 || load.failures[i] == 0));
    if (load.failure_latency[i] < 100ms)
      ++fast;
  }
  CAPTURE(load.failures.size(), fast);
  // While the breaker is open the node answers without trying: nearly every
  // refusal is immediate, none waits out a timeout.
  CHECK(load.failures.size() > 10);
  CHECK(fast * 10 >= load.failures.size() * 9);
  for (auto took : load.failure_latency)
    CHECK(took < 3s);
  // No acknowledged write is missing.
  CHECK(sql_count(stack.postgres_url(), "SELECT COUNT(*) FROM tasks WHERE id IN (" + id_list(load.created) + ")") ==
        static_cast<std::int64_t>(load.created.size()));
}

TEST_CASE("nats-server stopped: writes succeed, the outbox grows, and every event is projected once after",
          "[e2e][backends][fault]") {
  taskflow::testing::test_stack stack;
  server_process server{backend_flags(stack, false)};
  http_client probe{server.port()};
  writer load{server.port()};
  std::this_thread::sleep_for(500ms);
  stack.stop("nats");
  CHECK(eventually([&] { return metric(probe, "taskflow_outbox_backlog") > 0; }, 10s));
  std::this_thread::sleep_for(1s);
  stack.restart("nats");
  std::this_thread::sleep_for(500ms);
  load.stop();

  std::vector<std::string> created;
  {
    std::lock_guard lock{load.mutex};
    created = load.created;
    CHECK(load.failures.empty());
  }
  REQUIRE(created.size() > 20);
  auto all = static_cast<std::int64_t>(created.size());
  CHECK(eventually([&] { return sql_count(stack.postgres_url(), "SELECT COUNT(*) FROM task_view") == all; }, 30s));
  CHECK(eventually([&] { return metric(probe, "taskflow_outbox_backlog") == 0; }, 10s));
  // One event per task plus the sign-in's identity events, each applied exactly once.
  auto expected = all + sql_count(stack.postgres_url(), "SELECT COUNT(*) FROM events WHERE aggregate_type <> 'task'");
  CHECK(sql_count(stack.postgres_url(), "SELECT COUNT(*) FROM inbox WHERE consumer = 'projector'") == expected);
  CHECK(metric(probe, R"(taskflow_events_consumed_total{consumer="projector",outcome="applied"})") ==
        static_cast<double>(expected));
}

TEST_CASE("kill -9 of the node mid-load: every 2xx write is in PostgreSQL and soon projected, none twice",
          "[e2e][backends][fault]") {
  taskflow::testing::test_stack stack;
  server_process server{backend_flags(stack)};
  std::vector<std::string> created;
  {
    writer load{server.port()};
    // Kill once there is something to lose, however slow the machine is.
    eventually(
        [&] {
          std::lock_guard lock{load.mutex};
          return load.created.size() > 20;
        },
        15s);
    server.kill9();
    load.stop();
    std::lock_guard lock{load.mutex};
    created = load.created;
  }
  REQUIRE(created.size() > 10);
  auto acknowledged = static_cast<std::int64_t>(created.size());
  CHECK(sql_count(stack.postgres_url(), "SELECT COUNT(*) FROM tasks WHERE id IN (" + id_list(created) + ")") ==
        acknowledged);

  server.start();
  const auto& url = stack.postgres_url();
  CHECK(eventually(
      [&] {
        return sql_count(url, "SELECT COUNT(*) FROM task_view WHERE id IN (" + id_list(created) + ")") == acknowledged;
      },
      30s));
  // Every committed event (acknowledged or not) projected, each exactly once.
  CHECK(eventually(
      [&] {
        return sql_count(url, "SELECT COUNT(*) FROM inbox WHERE consumer = 'projector'") ==
               sql_count(url, "SELECT COUNT(*) FROM events");
      },
      30s));
  CHECK(sql_count(url, "SELECT COUNT(*) FROM task_view") == sql_count(url, "SELECT COUNT(*) FROM tasks"));
}
