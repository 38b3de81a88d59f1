// The sweeper purges expired Idempotency-Key records on every tick, keeps
// ticking through store failures, and the gateway hands the edge's calls to
// the store off the caller's thread with the node's lease and time to live.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "runtime/blocking/blocking_pool.hpp"
#include "runtime/edge_api/idempotency_gateway.hpp"
#include "runtime/services/idempotency_sweeper.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

class recording_store final : public ports::idempotency_store {
public:
  caf::expected<ports::idempotency_claim> claim(const ports::claim_request& request) override {
    std::lock_guard lock{mutex};
    last_claim = request;
    claim_thread = std::this_thread::get_id();
    return ports::idempotency_claim{ports::claim_status::claimed, "token", request.now_ms, {}};
  }
  caf::expected<bool> complete(const ports::idempotency_scope&, const std::string& token,
                               const ports::stored_response&) override {
    return token == "token";
  }
  caf::expected<void> release(const ports::idempotency_scope&, const std::string&) override { return caf::unit; }
  caf::expected<std::int64_t> purge_expired(std::int64_t now_ms) override {
    std::lock_guard lock{mutex};
    purge_times.push_back(now_ms);
    if (fail_purges > 0) {
      --fail_purges;
      return ports::make_error(ports::store_errc::unavailable, "down");
    }
    return std::int64_t{2};
  }

  std::mutex mutex;
  std::vector<std::int64_t> purge_times;
  int fail_purges = 0;
  ports::claim_request last_claim;
  std::thread::id claim_thread;
};

std::size_t purges(recording_store& store) {
  std::lock_guard lock{store.mutex};
  return store.purge_times.size();
}

}  // namespace

TEST_CASE("the sweeper purges on every tick with the current time", "[idempotency_sweeper]") {
  runtime::blocking_pool pool{1, 10};
  testing::test_config cfg;
  caf::actor_system system{cfg};
  auto store = std::make_shared<recording_store>();
  std::atomic<std::int64_t> now{1000};
  auto sweeper = system.spawn(runtime::idempotency_sweeper, runtime::idempotency_sweeper_config{5ms},
                              runtime::idempotency_sweeper_deps{store, &pool, [&now] { return now++; }, nullptr});
  CHECK(testing::eventually([&] { return purges(*store) >= 3; }));
  caf::anon_send_exit(sweeper, caf::exit_reason::user_shutdown);
  std::lock_guard lock{store->mutex};
  CHECK(store->purge_times.front() >= 1000);
  CHECK(std::is_sorted(store->purge_times.begin(), store->purge_times.end()));
}

TEST_CASE("the sweeper keeps ticking while the store fails", "[idempotency_sweeper]") {
  runtime::blocking_pool pool{1, 10};
  testing::test_config cfg;
  caf::actor_system system{cfg};
  auto store = std::make_shared<recording_store>();
  store->fail_purges = 3;
  auto sweeper = system.spawn(runtime::idempotency_sweeper, runtime::idempotency_sweeper_config{5ms},
                              runtime::idempotency_sweeper_deps{store, &pool, [] { return std::int64_t{1}; }, nullptr});
  CHECK(testing::eventually([&] { return purges(*store) >= 5; }));
  caf::anon_send_exit(sweeper, caf::exit_reason::user_shutdown);
}

TEST_CASE("the gateway claims on the store pool with the node's lease and time to live", "[idempotency_gateway]") {
  runtime::blocking_pool pool{1, 10};
  auto store = std::make_shared<recording_store>();
  runtime::idempotency_policy policy{7s, 24h};
  runtime::idempotency_gateway gateway{pool, store, policy, [] { return std::int64_t{42}; }};
  std::promise<runtime::outcome<runtime::idempotency_claim>> answered;
  gateway.claim({"alice", "k"}, "fp",
                [&](runtime::outcome<runtime::idempotency_claim> c) { answered.set_value(std::move(c)); });
  auto fut = answered.get_future();
  REQUIRE(fut.wait_for(5s) == std::future_status::ready);
  auto claim = fut.get();
  REQUIRE_FALSE(runtime::failed(claim));
  CHECK(std::get<runtime::idempotency_claim>(claim).status == runtime::claim_status::claimed);
  std::lock_guard lock{store->mutex};
  CHECK(store->claim_thread != std::this_thread::get_id());
  CHECK(store->last_claim.scope.principal_id == "alice");
  CHECK(store->last_claim.fingerprint == "fp");
  CHECK(store->last_claim.now_ms == 42);
  CHECK(store->last_claim.lease_ms == 7000);
  CHECK(store->last_claim.ttl_ms == 86'400'000);
}
