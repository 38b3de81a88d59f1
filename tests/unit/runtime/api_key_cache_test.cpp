// Verified API keys are remembered for a while, by hash, within a bound, and
// a revocation is never undone by a lookup that started before it.
#include <catch2/catch.hpp>

#include "runtime/identity/api_key_cache.hpp"

using namespace taskflow;
using namespace std::chrono_literals;
using clock_type = runtime::api_key_cache::clock;

namespace {

messages::Principal user(const std::string& id) {
  messages::Principal p;
  p.set_id(id);
  p.add_scopes("tasks:read");
  return p;
}

}  // namespace

TEST_CASE("a remembered key is found until its entry is ttl old", "[api_key_cache]") {
  runtime::api_key_cache cache{10, 30s};
  auto t0 = clock_type::now();
  CHECK_FALSE(cache.find("h1", t0));
  cache.remember("h1", user("alice"), cache.evictions(), t0);
  auto hit = cache.find("h1", t0 + 29s);
  REQUIRE(hit);
  CHECK(hit->id() == "alice");
  CHECK(hit->scopes_size() == 1);
  CHECK_FALSE(cache.find("h1", t0 + 30s));
  CHECK_FALSE(cache.find("h1", t0 + 1s));  // an expired entry is gone, not revived
}

TEST_CASE("past its capacity the least recently used key goes first", "[api_key_cache]") {
  runtime::api_key_cache cache{2, 30s};
  auto t0 = clock_type::now();
  cache.remember("a", user("a"), cache.evictions(), t0);
  cache.remember("b", user("b"), cache.evictions(), t0);
  REQUIRE(cache.find("a", t0));  // a is now more recent than b
  cache.remember("c", user("c"), cache.evictions(), t0);
  CHECK(cache.find("a", t0));
  CHECK_FALSE(cache.find("b", t0));
  CHECK(cache.find("c", t0));
}

TEST_CASE("an evicted key is read from the store again", "[api_key_cache]") {
  runtime::api_key_cache cache{10, 30s};
  auto t0 = clock_type::now();
  cache.remember("h1", user("alice"), cache.evictions(), t0);
  cache.evict("h1");
  CHECK_FALSE(cache.find("h1", t0));
  cache.evict("never-cached");  // a revocation of a key this node never saw
}

TEST_CASE("a lookup that raced with a revocation is not remembered", "[api_key_cache]") {
  runtime::api_key_cache cache{10, 30s};
  auto t0 = clock_type::now();
  auto before = cache.evictions();  // the lookup starts and reads "valid"
  cache.evict("h1");                // meanwhile the key is revoked
  cache.remember("h1", user("alice"), before, t0);
  CHECK_FALSE(cache.find("h1", t0));
  cache.remember("h1", user("alice"), cache.evictions(), t0);
  CHECK(cache.find("h1", t0));
}
