// Where the shard router sends a key: this node's own shard host, another
// node's remote entry, or nowhere yet; and whether anyone can take requests.
#include <catch2/catch.hpp>

#include "cluster/peers/peer_connections.hpp"
#include "runtime/atoms.hpp"
#include "runtime/sharding/shard_key.hpp"
#include "runtime/sharding/shard_router.hpp"
#include "tests/unit/support/task_ids.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;

namespace {

constexpr std::uint32_t shards = 3;

std::shared_ptr<const cluster::shard_table> table_of(std::vector<std::string> owners) {
  auto table = std::make_shared<cluster::shard_table>();
  table->shard_count = static_cast<std::uint32_t>(owners.size());
  table->owners = std::move(owners);
  return table;
}

// A task key that hashes to `shard`.
std::string key_on(std::uint32_t shard) {
  for (int n = 1;; ++n) {
    auto key = "task/" + testing::task_id(n);
    if (runtime::shard_of(key, shards) == shard)
      return key;
  }
}

// Resolves `key` and checks where it goes.
void check_route(const runtime::shard_router& router, const std::string& key, const caf::actor& target,
                 const std::string& node, bool remote) {
  auto route = router.resolve(key);
  REQUIRE(route);
  CHECK(route->target == target);
  CHECK(route->node == node);
  CHECK(route->remote == remote);
}

caf::behavior idle() {
  return {[](int) {}};
}

struct router_fixture {
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  caf::actor host = sys.spawn(idle);
  caf::actor entry_b = sys.spawn(idle);
  std::shared_ptr<cluster::peer_connections> remote = std::make_shared<cluster::peer_connections>(sys, "node-a");
  // Shard 0 is this node's, 1 is node-b's, 2 has no owner yet.
  runtime::shard_router router{runtime::shard_host_handle{sys}, "node-a", table_of({"node-a", "node-b", ""}), remote};

  ~router_fixture() {
    sys.registry().erase(runtime::shard_host_name);
    testing::stop_actor(sys, host);
    testing::stop_actor(sys, entry_b);
  }

  void register_host() { sys.registry().put(runtime::shard_host_name, host); }
};

}  // namespace

TEST_CASE("a key of a shard this node owns goes to its own shard host", "[unit][shard_router]") {
  router_fixture f;
  f.register_host();
  check_route(f.router, key_on(0), f.host, "node-a", false);
}

TEST_CASE("a local key has no route while the shard host is not registered", "[unit][shard_router]") {
  // As while the supervisor restarts it: the caller retries.
  router_fixture f;
  CHECK_FALSE(f.router.resolve(key_on(0)));
}

TEST_CASE("a key of another node's shard goes to that node's remote entry", "[unit][shard_router]") {
  router_fixture f;
  f.register_host();
  f.remote->offered("node-b", f.entry_b);
  check_route(f.router, key_on(1), f.entry_b, "node-b", true);
}

TEST_CASE("a remote owner without a connected entry has no route yet", "[unit][shard_router]") {
  router_fixture f;
  f.register_host();
  CHECK_FALSE(f.router.resolve(key_on(1)));
  // A router without peer connections (a single node) never routes away.
  runtime::shard_router alone{runtime::shard_host_handle{f.sys}, "node-a", table_of({"node-a", "node-b", ""}), nullptr};
  CHECK_FALSE(alone.resolve(key_on(1)));
  check_route(alone, key_on(0), f.host, "node-a", false);
}

TEST_CASE("a key of a shard without an owner has no route", "[unit][shard_router]") {
  router_fixture f;
  f.register_host();
  f.remote->offered("node-b", f.entry_b);
  CHECK_FALSE(f.router.resolve(key_on(2)));
}

TEST_CASE("a new table replaces the placement whole", "[unit][shard_router]") {
  router_fixture f;
  f.register_host();
  f.remote->offered("node-b", f.entry_b);
  auto before = f.router.table();
  f.router.set_table(table_of({"node-b", "node-a", "node-a"}));
  CHECK(f.router.table() != before);
  check_route(f.router, key_on(0), f.entry_b, "node-b", true);
  check_route(f.router, key_on(1), f.host, "node-a", false);
  check_route(f.router, key_on(2), f.host, "node-a", false);
  // The table handed out earlier is not changed under its holder.
  CHECK(before->owner_of(0) == "node-a");
}

TEST_CASE("nobody takes requests while no shard has an owner", "[unit][shard_router]") {
  router_fixture f;
  f.register_host();
  f.router.set_table(table_of({"", "", ""}));
  CHECK_FALSE(f.router.has_owners());
}

TEST_CASE("this node's own shards count as owned only while its shard host is up", "[unit][shard_router]") {
  router_fixture f;
  f.router.set_table(table_of({"node-a", "node-a", ""}));
  CHECK_FALSE(f.router.has_owners());
  f.register_host();
  CHECK(f.router.has_owners());
}

TEST_CASE("another node's shard counts as owned before its entry is connected", "[unit][shard_router]") {
  router_fixture f;
  f.router.set_table(table_of({"", "node-b", ""}));
  CHECK(f.router.has_owners());
}
