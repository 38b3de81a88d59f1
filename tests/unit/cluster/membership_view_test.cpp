// The membership table as one node judges it: joins, changes, leaves, lapses
// by the local clock, and restarts by incarnation.
#include <catch2/catch.hpp>

#include "cluster/membership/membership_view.hpp"

using namespace taskflow;
using namespace std::chrono_literals;
using cluster::change_kind;
using cluster::member_state;

namespace {

const cluster::membership_clock::time_point t0{};

cluster::member_record member(const std::string& id, member_state state = member_state::up,
                              std::vector<std::string> roles = {"worker"}, std::uint64_t incarnation = 1) {
  cluster::member_record r;
  r.id = id;
  r.roles = std::move(roles);
  r.state = state;
  r.http_address = "127.0.0.1:80";
  r.incarnation = incarnation;
  return r;
}

}  // namespace

TEST_CASE("a first put joins, a repeated one is only a heartbeat", "[membership_view]") {
  cluster::membership_view view;
  auto joined = view.apply_put(member("b"), t0);
  REQUIRE(joined);
  CHECK(joined->kind == change_kind::joined);
  CHECK(cluster::describe(*joined).rfind("member b joined: roles worker, state up", 0) == 0);
  CHECK_FALSE(view.apply_put(member("b"), t0 + 100ms));
  view.apply_put(member("a", member_state::joining), t0);
  view.apply_put(member("c", member_state::up, {"edge"}), t0);
  auto ids = [](const std::vector<cluster::member_record>& ms) {
    std::vector<std::string> out;
    for (const auto& m : ms)
      out.push_back(m.id);
    return out;
  };
  CHECK(ids(view.members()) == std::vector<std::string>{"a", "b", "c"});
  CHECK(view.up_workers() == std::vector<std::string>{"b"});
}

TEST_CASE("state and field changes are reported as such", "[membership_view]") {
  cluster::membership_view view;
  view.apply_put(member("a", member_state::joining), t0);
  auto up = view.apply_put(member("a", member_state::up), t0 + 1s);
  REQUIRE(up);
  CHECK(up->kind == change_kind::state_changed);
  CHECK(up->previous_state == member_state::joining);
  CHECK(cluster::describe(*up).rfind("member a is up (was joining)", 0) == 0);
  auto acked = member("a");
  acked.handoff_ack = 3;
  auto ack = view.apply_put(acked, t0 + 2s);
  REQUIRE(ack);
  CHECK(ack->kind == change_kind::updated);
  CHECK(view.find("a")->handoff_ack == 3);
}

TEST_CASE("a member not heard from for a ttl lapses, one heard from stays", "[membership_view]") {
  cluster::membership_view view;
  view.apply_put(member("a"), t0);
  view.apply_put(member("b"), t0);
  view.apply_put(member("b"), t0 + 1000ms);  // b keeps beating, a went quiet
  CHECK(view.expire(t0 + 1499ms, 1500ms).empty());
  auto lapsed = view.lapse(t0 + 1500ms, 1500ms);
  REQUIRE(lapsed.size() == 1);
  CHECK(lapsed[0].record.id == "a");
  CHECK(cluster::describe(lapsed[0]) == "member a lapsed (no heartbeat) after 1.5 s as a member");
  CHECK(view.up_workers() == std::vector<std::string>{"b"});
  CHECK(view.expire(t0 + 2500ms, 1500ms) == std::vector<std::string>{"b"});
  CHECK(view.members().empty());
}

TEST_CASE("a delete is a member leaving; deleting a stranger changes nothing", "[membership_view]") {
  cluster::membership_view view;
  view.apply_put(member("a"), t0);
  auto left = view.apply_delete("a", t0 + 2s);
  REQUIRE(left);
  CHECK(left->kind == change_kind::left);
  CHECK(cluster::describe(*left) == "member a left after 2 s");
  CHECK_FALSE(view.apply_delete("a", t0 + 3s));
  CHECK(view.members().empty());
}

TEST_CASE("a newer incarnation replaces the old one; an older one is ignored", "[membership_view]") {
  cluster::membership_view view;
  view.apply_put(member("a", member_state::up, {"worker"}, 5), t0);
  auto restarted = view.apply_put(member("a", member_state::joining, {"worker"}, 6), t0 + 1s);
  REQUIRE(restarted);
  CHECK(restarted->kind == change_kind::restarted);
  CHECK(view.find("a")->incarnation == 6);
  // A late heartbeat of the old process neither changes nor renews the record.
  CHECK_FALSE(view.apply_put(member("a", member_state::up, {"worker"}, 5), t0 + 2s));
  CHECK(view.find("a")->state == member_state::joining);
  CHECK(view.expire(t0 + 2500ms, 1500ms) == std::vector<std::string>{"a"});
}

TEST_CASE("an update heard late never moves a member's last heartbeat back", "[membership_view]") {
  cluster::membership_view view;
  view.apply_put(member("a"), t0 + 1s);
  view.apply_put(member("a"), t0);
  CHECK(view.expire(t0 + 2s, 1500ms).empty());
}
