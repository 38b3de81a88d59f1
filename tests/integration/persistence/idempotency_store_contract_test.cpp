// What every idempotency_store adapter must do: claim a key atomically, say
// why a key cannot be claimed (in flight, completed, different request), let a
// lapsed lease be taken over without letting the old owner write, replay the
// stored response across a reopen, and forget keys after their time to live.
// Each case runs on SQLite in a fresh file and on PostgreSQL in a fresh
// database on a real server that tools/stack/stack starts for the run.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <thread>

#include "persistence/postgres/pg_stores.hpp"
#include "persistence/sqlite/sqlite_stores.hpp"
#include "tests/support/test_stack.hpp"

using namespace taskflow;
namespace fs = std::filesystem;

namespace {

struct adapter {
  std::shared_ptr<ports::idempotency_store> keys;
  std::function<adapter()> reopen;
};

fs::path fresh_dir() {
  static std::atomic<int> counter{0};
  auto dir = fs::temp_directory_path() /
             ("taskflow-idempotency-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  return dir;
}

adapter open_sqlite(const fs::path& file) {
  auto stores = persistence::open_sqlite_stores(file);
  REQUIRE(stores);
  return {stores->idempotency, [file] { return open_sqlite(file); }};
}

adapter open_postgres(const std::string& url) {
  persistence::pg_options options;
  options.conninfo = url;
  auto stores = persistence::open_pg_stores(options);
  if (!stores)
    FAIL(ports::error_text(stores.error()));
  return {stores->idempotency, [url] { return open_postgres(url); }};
}

std::string fresh_database() {
  static std::atomic<int> counter{0};
  return testing::test_stack::shared().create_database("idempotency_" + std::to_string(::getpid()) + "_" +
                                                       std::to_string(counter++));
}

std::vector<std::pair<std::string, std::function<adapter()>>> adapters() {
  return {{"sqlite", [] { return open_sqlite(fresh_dir() / "taskflow.db"); }},
          {"postgres", [] { return open_postgres(fresh_database()); }}};
}

constexpr std::int64_t lease = 10'000;
constexpr std::int64_t ttl = 86'400'000;

ports::claim_request request(std::string key, std::string fingerprint, std::int64_t now,
                             std::string principal = "alice") {
  return {{std::move(principal), std::move(key)}, std::move(fingerprint), now, lease, ttl};
}

ports::stored_response created() {
  return {
      201, {{"Content-Type", "application/json"}, {"Location", "/api/v2/tasks/1"}, {"ETag", "\"1\""}}, "{\"id\":1}"};
}

ports::idempotency_claim claim(adapter& a, const ports::claim_request& r) {
  auto c = a.keys->claim(r);
  REQUIRE(c);
  return *c;
}

}  // namespace

TEST_CASE("idempotency store contract", "[idempotency_store]") {
  for (auto& [name, open] : adapters()) {
    DYNAMIC_SECTION(name) {
      auto a = open();

      SECTION("the first claim owns the key; a repeat sees it in flight") {
        auto first = claim(a, request("k", "fp", 1000));
        CHECK(first.status == ports::claim_status::claimed);
        CHECK_FALSE(first.lease_token.empty());
        CHECK(first.first_used_at_ms == 1000);
        auto second = claim(a, request("k", "fp", 1001));
        CHECK(second.status == ports::claim_status::in_flight);
        CHECK(second.first_used_at_ms == 1000);
      }

      SECTION("a completed key replays status, headers and body") {
        auto first = claim(a, request("k", "fp", 1000));
        REQUIRE(a.keys->complete({"alice", "k"}, first.lease_token, created()).value());
        auto again = claim(a, request("k", "fp", 2000));
        CHECK(again.status == ports::claim_status::completed);
        REQUIRE(again.response);
        CHECK(again.response->status == 201);
        CHECK(again.response->headers == created().headers);
        CHECK(again.response->body == created().body);
      }

      SECTION("another fingerprint under the same key is a mismatch, in flight or done") {
        auto first = claim(a, request("k", "fp", 1000));
        CHECK(claim(a, request("k", "other", 1001)).status == ports::claim_status::mismatch);
        REQUIRE(a.keys->complete({"alice", "k"}, first.lease_token, created()).value());
        CHECK(claim(a, request("k", "other", 1002)).status == ports::claim_status::mismatch);
      }

      SECTION("keys are scoped by principal") {
        claim(a, request("k", "fp", 1000, "alice"));
        CHECK(claim(a, request("k", "other", 1000, "bob")).status == ports::claim_status::claimed);
      }

      SECTION("a lapsed lease is taken over, keeping the first use, and fences out the old owner") {
        auto first = claim(a, request("k", "fp", 1000));
        auto takeover = claim(a, request("k", "fp", 1000 + lease + 1));
        CHECK(takeover.status == ports::claim_status::claimed);
        CHECK(takeover.first_used_at_ms == 1000);
        CHECK(takeover.lease_token != first.lease_token);
        CHECK_FALSE(a.keys->complete({"alice", "k"}, first.lease_token, created()).value());
        CHECK(claim(a, request("k", "fp", 1000 + lease + 2)).status == ports::claim_status::in_flight);
        CHECK(a.keys->complete({"alice", "k"}, takeover.lease_token, created()).value());
      }

      SECTION("a released key can be claimed again at once, as the same execution") {
        auto first = claim(a, request("k", "fp", 1000));
        REQUIRE(a.keys->release({"alice", "k"}, first.lease_token));
        auto retry = claim(a, request("k", "fp", 1001));
        CHECK(retry.status == ports::claim_status::claimed);
        CHECK(retry.first_used_at_ms == 1000);
      }

      SECTION("the record survives a reopen") {
        auto first = claim(a, request("k", "fp", 1000));
        REQUIRE(a.keys->complete({"alice", "k"}, first.lease_token, created()).value());
        auto b = a.reopen();
        auto again = claim(b, request("k", "fp", 5000));
        CHECK(again.status == ports::claim_status::completed);
        CHECK(again.response->body == created().body);
      }

      SECTION("after its time to live a key is new again, and the sweep deletes it") {
        auto first = claim(a, request("k", "fp", 1000));
        REQUIRE(a.keys->complete({"alice", "k"}, first.lease_token, created()).value());
        claim(a, request("other", "fp", 5000));
        CHECK(a.keys->purge_expired(1000 + ttl - 1).value() == 0);
        CHECK(a.keys->purge_expired(1000 + ttl).value() == 1);
        auto fresh = claim(a, request("k", "different body now", 1000 + ttl));
        CHECK(fresh.status == ports::claim_status::claimed);
        CHECK(fresh.first_used_at_ms == 1000 + ttl);
      }

      SECTION("an expired record counts as absent even before the sweep") {
        claim(a, request("k", "fp", 1000));
        auto fresh = claim(a, request("k", "other", 1000 + ttl));
        CHECK(fresh.status == ports::claim_status::claimed);
        CHECK(fresh.first_used_at_ms == 1000 + ttl);
      }

      SECTION("of many concurrent claims of one key exactly one wins") {
        std::atomic<int> claimed{0}, in_flight{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < 16; ++i)
          threads.emplace_back([&] {
            auto c = a.keys->claim(request("race", "fp", 1000));
            if (c && c->status == ports::claim_status::claimed)
              ++claimed;
            else if (c && c->status == ports::claim_status::in_flight)
              ++in_flight;
          });
        for (auto& t : threads)
          t.join();
        CHECK(claimed == 1);
        CHECK(in_flight == 15);
      }
    }
  }
}
