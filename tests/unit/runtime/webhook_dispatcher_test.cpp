// The webhook dispatcher with a fake sender and no network: deliveries live
// in a SQLite store in a temporary file (the real adapter, so leases and
// fences are the real ones), both pools are one manual executor, and the
// clock is the test's. Each test steps the dispatcher job by job.
#include <catch2/catch.hpp>

#include <atomic>
#include <deque>
#include <filesystem>
#include <mutex>

#include <unistd.h>
#include <caf/send.hpp>

#include "persistence/sqlite/sqlite_stores.hpp"
#include "runtime/atoms.hpp"
#include "runtime/services/webhook_dispatcher.hpp"
#include "runtime/webhooks/webhook_payload.hpp"
#include "runtime/webhooks/webhook_signature.hpp"
#include "tests/unit/support/manual_executor.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

const std::string ann = "01a20f1d-0000-7000-8000-0000000000a1";
const std::string hook = "01a20f1d-0000-7000-8000-00000000aaa1";
// base64 of 24 bytes "0123456789abcdefghijklmn".
const std::string secret = "whsec_MDEyMzQ1Njc4OWFiY2RlZmdoaWprbG1u";

// Answers from a script (a status code, or -1 for no answer); 200 once it
// runs out. Keeps every request.
class scripted_sender final : public ports::webhook_sender {
public:
  caf::expected<int> post(const ports::outbound_post& request) override {
    std::lock_guard lock{mutex_};
    requests.push_back(request);
    if (script.empty())
      return 200;
    auto next = script.front();
    script.pop_front();
    if (next < 0)
      return caf::make_error(caf::sec::runtime_error, "connection refused");
    return next;
  }

  std::deque<int> script;
  std::vector<ports::outbound_post> requests;

private:
  std::mutex mutex_;
};

std::string header(const ports::outbound_post& post, const std::string& name) {
  for (const auto& [n, v] : post.headers)
    if (n == name)
      return v;
  return {};
}

struct dispatcher_fixture {
  testing::manual_executor pool;
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  runtime::logger log{runtime::log_level::error};
  runtime::metrics stats;
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("taskflow-dispatcher-" + std::to_string(::getpid()) + "-" +
                               std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::shared_ptr<ports::webhook_store> store;
  std::shared_ptr<scripted_sender> sender = std::make_shared<scripted_sender>();
  std::atomic<std::int64_t> now{1'000'000};
  std::chrono::steady_clock::time_point steady_now{};
  std::shared_ptr<runtime::endpoint_breakers> breakers;
  runtime::webhook_dispatcher_config config;
  runtime::breaker_options breaker;
  caf::actor dispatcher;

  dispatcher_fixture() {
    auto stores = persistence::open_sqlite_stores(dir / "taskflow.db");
    REQUIRE(stores);
    store = stores->webhooks;
    config.node_id = "node-1";
    config.schedule = {0ms, 100ms, 100ms, 100ms, 100ms};
    config.poll_interval = 1h;  // only the first tick and the nudges a test sends
    breaker.failure_threshold = 5;
    breaker.open_for = 10s;
    REQUIRE(store->create_endpoint({hook, ann, "http://127.0.0.1:9/in", {"task.assigned"}, secret, 1, std::nullopt}));
  }

  ~dispatcher_fixture() {
    testing::stop_actor(sys, dispatcher);
    pool.discard();
    std::filesystem::remove_all(dir);
  }

  void enqueue(const std::string& notification_id) {
    messages::Notification n;
    n.set_id(notification_id);
    n.set_recipient_id(ann);
    n.set_type("task.assigned");
    n.set_task_id("01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
    n.set_message("You were assigned to \"Ship it\"");
    n.set_created_at_ms(1'700'000'000'123);
    REQUIRE(store->enqueue_deliveries({n}, now));
  }

  void start() {
    breakers = std::make_shared<runtime::endpoint_breakers>(breaker, [this] { return steady_now; });
    runtime::webhook_dispatcher_deps deps{
        store, sender, &pool, &pool, breakers, [this] { return now.load(); }, [] { return 0.5; }, &log, &stats};
    dispatcher = sys.spawn(runtime::webhook_dispatcher, config, deps);
  }

  // One cycle: its lease, then each send it started.
  void cycle(std::size_t sends) {
    REQUIRE(pool.run_next());  // the lease
    for (std::size_t i = 0; i < sends; ++i)
      REQUIRE(pool.run_next());
  }

  void nudge() { caf::anon_send(dispatcher, runtime::nudge_atom::value); }

  ports::webhook_delivery only_delivery() {
    auto page = store->deliveries(hook, 10, std::nullopt);
    REQUIRE(page);
    REQUIRE(page->items.size() == 1);
    return page->items[0];
  }

  double outcome(const char* name) { return stats.webhook_deliveries.Add({{"outcome", name}}).Value(); }
};

}  // namespace

TEST_CASE("a delivery is retried on the schedule with one webhook-id and a valid signature until a 2xx",
          "[unit][webhook_dispatcher]") {
  dispatcher_fixture f;
  f.enqueue("n-1");
  f.sender->script = {500, 500, 500, 200};
  f.start();
  f.cycle(1);
  CHECK(f.only_delivery().attempts == 1);
  for (int retry = 0; retry < 3; ++retry) {
    // Not due yet: the lease finds nothing and nothing is sent.
    f.nudge();
    f.cycle(0);
    CHECK(f.sender->requests.size() == static_cast<std::size_t>(retry + 1));
    f.now += 100;
    f.nudge();
    f.cycle(1);
  }
  REQUIRE(f.sender->requests.size() == 4);
  auto delivery = f.only_delivery();
  CHECK(delivery.status == "delivered");
  CHECK(delivery.attempts == 4);
  CHECK(delivery.last_status_code == 200);
  CHECK(delivery.delivered_at_ms == f.now.load());

  auto key = runtime::webhook_secret_key(secret);
  REQUIRE(key);
  for (const auto& post : f.sender->requests) {
    CHECK(post.url == "http://127.0.0.1:9/in");
    CHECK(header(post, "webhook-id") == delivery.id);
    CHECK(header(post, "content-type") == "application/json");
    auto timestamp = std::stoll(header(post, "webhook-timestamp"));
    CHECK(header(post, "webhook-signature") == runtime::webhook_signature(*key, delivery.id, timestamp, post.body));
    CHECK(post.body == f.sender->requests[0].body);
  }
  auto body = nlohmann::json::parse(f.sender->requests[0].body);
  CHECK(body["id"] == "n-1");
  CHECK(body["type"] == "task.assigned");
  CHECK(body["created_at"] == "2023-11-14T22:13:20.123Z");
  CHECK(body["read_at"].is_null());
  CHECK(f.outcome("retried") == 3);
  CHECK(f.outcome("delivered") == 1);

  // Delivered is final: later cycles send nothing.
  f.now += 1'000'000;
  f.nudge();
  f.cycle(0);
  CHECK(f.sender->requests.size() == 4);
}

TEST_CASE("a delivery fails for good once the schedule is spent", "[unit][webhook_dispatcher]") {
  dispatcher_fixture f;
  f.config.schedule = {0ms, 100ms};
  f.enqueue("n-1");
  f.sender->script = {503, -1};
  f.start();
  f.cycle(1);
  f.now += 100;
  f.nudge();
  f.cycle(1);
  auto delivery = f.only_delivery();
  CHECK(delivery.status == "failed");
  CHECK(delivery.attempts == 2);
  CHECK_FALSE(delivery.last_status_code);
  CHECK(delivery.last_error.find("connection refused") != std::string::npos);
  CHECK(f.outcome("failed") == 1);
}

TEST_CASE("a 410 disables the endpoint", "[unit][webhook_dispatcher]") {
  dispatcher_fixture f;
  f.enqueue("n-1");
  f.sender->script = {410};
  f.start();
  f.cycle(1);
  CHECK(f.only_delivery().status == "failed");
  auto endpoint = f.store->endpoint(hook);
  REQUIRE(endpoint);
  CHECK((*endpoint)->disabled_at_ms);
  CHECK(f.outcome("disabled") == 1);
}

TEST_CASE("an endpoint that keeps failing opens its breaker, which postpones instead of sending",
          "[unit][webhook_dispatcher]") {
  dispatcher_fixture f;
  f.config.batch_size = 1;
  f.breaker.failure_threshold = 3;
  for (int i = 0; i < 5; ++i)
    f.enqueue("n-" + std::to_string(i));
  f.sender->script = {-1, -1, -1};
  f.start();
  // Three failures (one per cycle; a full batch starts the next at once).
  for (int i = 0; i < 3; ++i)
    f.cycle(1);
  CHECK(f.breakers->of(hook).state() == runtime::breaker_state::open);
  CHECK(f.stats.webhook_breaker_state.Add({{"endpoint", hook}}).Value() == 0);  // the node wires the gauge
  // The next due deliveries are postponed without an attempt.
  f.cycle(1);
  CHECK(f.sender->requests.size() == 3);
  CHECK(f.outcome("postponed") == 1);
  auto page = f.store->deliveries(hook, 10, std::nullopt);
  REQUIRE(page);
  int untried = 0;
  for (const auto& d : page->items)
    untried += d.attempts == 0 ? 1 : 0;
  CHECK(untried == 2);
  // Once open_for passed, a probe goes through and its success closes it.
  f.steady_now += 10s;
  f.now += 10'000;
  f.cycle(1);
  CHECK(f.sender->requests.size() == 4);
  CHECK(f.breakers->of(hook).state() == runtime::breaker_state::closed);
}
