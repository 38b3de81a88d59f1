// Paging resident actors across nodes: filters, (type, id) order, keyset
// positions, and merging the nodes' pages.
#include <catch2/catch.hpp>

#include "runtime/admin/actor_listing.hpp"
#include "runtime/sharding/shard_key.hpp"

using namespace taskflow;
using runtime::resident_actor;

namespace {

std::vector<resident_actor> resident(std::initializer_list<const char*> keys) {
  std::vector<resident_actor> out;
  std::int64_t t = 1000;
  for (const auto* k : keys)
    out.push_back({k, t, t + 1}), t += 10;
  return out;
}

messages::ListResidentActors query(std::uint32_t limit, std::string type = {}, std::string prefix = {}) {
  messages::ListResidentActors q;
  q.set_limit(limit);
  q.set_type(std::move(type));
  q.set_id_prefix(std::move(prefix));
  return q;
}

std::vector<std::string> keys_of(const google::protobuf::RepeatedPtrField<messages::ResidentActor>& actors) {
  std::vector<std::string> out;
  for (const auto& a : actors)
    out.push_back(a.type() + "/" + a.id());
  return out;
}

}  // namespace

TEST_CASE("keys split into type and id", "[actor_listing]") {
  auto p = runtime::split_key("task/abc");
  REQUIRE(p);
  CHECK(p->type == "task");
  CHECK(p->id == "abc");
  CHECK_FALSE(runtime::split_key("noslash"));
  CHECK(runtime::key_of("user", "u1") == "user/u1");
  CHECK(runtime::is_actor_type("session"));
  CHECK_FALSE(runtime::is_actor_type("tasks"));
}

TEST_CASE("a node's page is sorted by type then id, filtered, and bounded", "[actor_listing]") {
  auto all = resident({"user/b", "task/c", "task/a", "session/z", "task/ab"});
  auto page = runtime::select_resident(all, query(10), "n1", 1024);
  CHECK(keys_of(page.actors()) == std::vector<std::string>{"session/z", "task/a", "task/ab", "task/c", "user/b"});
  CHECK(page.matching() == 5);
  CHECK(page.resident() == 5);
  CHECK(page.node_id() == "n1");
  const auto& first = page.actors(0);
  CHECK(first.shard() == runtime::shard_of("session/z", 1024));
  CHECK(first.activated_at_ms() == 1030);
  CHECK(first.last_message_at_ms() == 1031);
  CHECK(first.mailbox_size() == -1);

  auto tasks = runtime::select_resident(all, query(2, "task"), "n1", 1024);
  CHECK(keys_of(tasks.actors()) == std::vector<std::string>{"task/a", "task/ab"});
  CHECK(tasks.matching() == 3);

  auto prefixed = runtime::select_resident(all, query(10, "task", "a"), "n1", 1024);
  CHECK(keys_of(prefixed.actors()) == std::vector<std::string>{"task/a", "task/ab"});

  auto counts = runtime::select_resident(all, query(0), "n1", 1024);
  CHECK(counts.actors_size() == 0);
  CHECK(counts.resident() == 5);
}

TEST_CASE("a page starts strictly after its position", "[actor_listing]") {
  auto all = resident({"task/a", "task/b", "task/c", "user/a"});
  auto q = query(2);
  q.set_after_type("task");
  q.set_after_id("b");
  auto page = runtime::select_resident(all, q, "n1", 1024);
  CHECK(keys_of(page.actors()) == std::vector<std::string>{"task/c", "user/a"});
  CHECK(page.matching() == 4);
}

TEST_CASE("merging nodes' pages keeps the order, the limit and whether more follow", "[actor_listing]") {
  auto n1 = runtime::select_resident(resident({"task/a", "task/c", "task/e"}), query(3), "n1", 1024);
  auto n2 = runtime::select_resident(resident({"task/b", "task/d"}), query(3), "n2", 1024);
  auto merged = runtime::merge_pages({n1, n2}, 2);
  REQUIRE(merged.items.size() == 2);
  CHECK(merged.items[0].id() == "a");
  CHECK(merged.items[0].node_id() == "n1");
  CHECK(merged.items[1].id() == "b");
  CHECK(merged.items[1].node_id() == "n2");
  CHECK(merged.more);

  auto all = runtime::merge_pages({n1, n2}, 5);
  CHECK(all.items.size() == 5);
  CHECK_FALSE(all.more);
}

TEST_CASE("an actor resident on two nodes during a handoff is listed once", "[actor_listing]") {
  auto n1 = runtime::select_resident(resident({"task/a"}), query(3), "n1", 1024);
  auto n2 = runtime::select_resident(resident({"task/a", "task/b"}), query(3), "n2", 1024);
  auto merged = runtime::merge_pages({n1, n2}, 10);
  CHECK(merged.items.size() == 2);
}

TEST_CASE("an actor is labelled by its task's title or its user's email", "[actor_listing]") {
  messages::AggregateState state;
  CHECK(runtime::label_of(state).empty());
  state.mutable_task()->set_title("Report");
  CHECK(runtime::label_of(state) == "Report");
  state.mutable_user()->set_email("ada@example.com");
  CHECK(runtime::label_of(state) == "ada@example.com");
  state.mutable_session()->set_user_id("u1");
  CHECK(runtime::label_of(state).empty());
}
