// The admin gateway over a cluster of stub agents: pages merged across
// nodes, a node that does not answer reported rather than failing the
// request, and the owner of a key asked for one actor.
#include <catch2/catch.hpp>

#include <future>

#include <caf/event_based_actor.hpp>

#include "runtime/admin/admin_gateway.hpp"
#include "tests/unit/support/test_actor_system.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

// An agent holding fixed resident keys; it answers like node_agent.
caf::behavior stub_agent(caf::event_based_actor*, std::string node_id, std::vector<std::string> keys) {
  return {
      [node_id, keys](const messages::ListResidentActors& query) {
        std::vector<runtime::resident_actor> resident;
        for (const auto& k : keys)
          resident.push_back({k, 1000, 2000});
        return runtime::select_resident(resident, query, node_id, 1024);
      },
      [node_id](const messages::InspectActor& query) {
        messages::ActorSnapshot s;
        s.set_type(query.type());
        s.set_id(query.id());
        s.set_node_id(node_id);
        s.set_exists(query.id() != "missing");
        s.set_resident(true);
        return s;
      },
      [node_id](const messages::PassivateActor&) {
        messages::PassivateActorReply r;
        r.set_node_id(node_id);
        r.set_was_resident(true);
        return r;
      },
  };
}

// An agent that takes every request and never answers.
caf::behavior silent_agent(caf::event_based_actor* self, int) {
  return {
      [self](const messages::ListResidentActors&) { return self->make_response_promise<messages::ResidentActors>(); },
  };
}

class stub_directory final : public runtime::cluster_directory {
public:
  std::vector<runtime::admin_target> targets;
  std::string cluster_name() const override { return "test"; }
  std::string self_id() const override { return "n1"; }
  std::uint32_t shard_count() const override { return 1024; }
  std::vector<std::string> shard_owners() const override { return std::vector<std::string>(1024, "n1"); }
  std::vector<runtime::admin_node_view> nodes() const override {
    std::vector<runtime::admin_node_view> out;
    for (const auto& t : targets)
      out.push_back({t.node_id, {"worker"}, "up", "", "", 0, 0});
    return out;
  }
  std::vector<runtime::admin_target> agents() const override { return targets; }
  std::optional<runtime::admin_target> agent_for(const std::string& key) const override {
    return key.find("/b") != std::string::npos ? targets.at(1) : targets.at(0);
  }
};

struct gateway_fixture {
  testing::test_config cfg;
  caf::actor_system sys{cfg};
  std::shared_ptr<stub_directory> directory = std::make_shared<stub_directory>();
  runtime::admin_gateway gateway{sys, directory, nullptr};

  runtime::actor_page list(runtime::actor_query query, std::chrono::milliseconds deadline = 2s) {
    std::promise<runtime::outcome<runtime::actor_page>> answered;
    gateway.list_actors(std::move(query), deadline,
                        [&](runtime::outcome<runtime::actor_page> r) { answered.set_value(std::move(r)); });
    auto result = answered.get_future().get();
    REQUIRE(std::holds_alternative<runtime::actor_page>(result));
    return std::get<runtime::actor_page>(std::move(result));
  }
};

std::vector<std::string> ids_of(const runtime::actor_page& page) {
  std::vector<std::string> out;
  for (const auto& a : page.items)
    out.push_back(a.node_id() + ":" + a.id());
  return out;
}

}  // namespace

TEST_CASE("pages of resident actors are merged across nodes and continue after their last item", "[admin_gateway]") {
  gateway_fixture f;
  f.directory->targets = {
      {"n1", f.sys.spawn(stub_agent, std::string{"n1"}, std::vector<std::string>{"task/a", "task/c"})},
      {"n2", f.sys.spawn(stub_agent, std::string{"n2"}, std::vector<std::string>{"task/b", "user/a"})}};
  runtime::actor_query q;
  q.limit = 3;
  auto first = f.list(q);
  CHECK(ids_of(first) == std::vector<std::string>{"n1:a", "n2:b", "n1:c"});
  REQUIRE(first.next);
  CHECK(first.unanswered_nodes.empty());
  q.after = first.next;
  auto second = f.list(q);
  CHECK(ids_of(second) == std::vector<std::string>{"n2:a"});
  CHECK_FALSE(second.next);

  runtime::actor_query only_n2;
  only_n2.node = "n2";
  CHECK(ids_of(f.list(only_n2)) == std::vector<std::string>{"n2:b", "n2:a"});
  runtime::actor_query nowhere;
  nowhere.node = "n9";
  CHECK(f.list(nowhere).items.empty());
}

TEST_CASE("a node that does not answer in time is reported, and the others still answer", "[admin_gateway]") {
  gateway_fixture f;
  f.directory->targets = {{"n1", f.sys.spawn(stub_agent, std::string{"n1"}, std::vector<std::string>{"task/a"})},
                          {"n2", f.sys.spawn(silent_agent, 0)}};
  auto started = std::chrono::steady_clock::now();
  auto page = f.list({}, 200ms);
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  CHECK(ids_of(page) == std::vector<std::string>{"n1:a"});
  CHECK(page.unanswered_nodes == std::vector<std::string>{"n2"});

  std::promise<runtime::cluster_status> answered;
  f.gateway.cluster(200ms, [&](runtime::cluster_status s) { answered.set_value(std::move(s)); });
  auto status = answered.get_future().get();
  REQUIRE(status.nodes.size() == 2);
  CHECK(status.nodes[0].resident_actors == std::optional<std::uint64_t>{1});
  CHECK_FALSE(status.nodes[1].resident_actors);
  CHECK(status.cluster == "test");
  CHECK(status.shard_count == 1024);
}

TEST_CASE("one actor is asked of the node owning its key, and an unknown one is not found", "[admin_gateway]") {
  gateway_fixture f;
  f.directory->targets = {{"n1", f.sys.spawn(stub_agent, std::string{"n1"}, std::vector<std::string>{})},
                          {"n2", f.sys.spawn(stub_agent, std::string{"n2"}, std::vector<std::string>{})}};
  auto inspect = [&](const std::string& id) {
    std::promise<runtime::outcome<messages::ActorSnapshot>> answered;
    f.gateway.inspect("task", id, 2s,
                      [&](runtime::outcome<messages::ActorSnapshot> r) { answered.set_value(std::move(r)); });
    return answered.get_future().get();
  };
  auto owned_by_n2 = inspect("b1");
  REQUIRE(std::holds_alternative<messages::ActorSnapshot>(owned_by_n2));
  CHECK(std::get<messages::ActorSnapshot>(owned_by_n2).node_id() == "n2");
  auto missing = inspect("missing");
  REQUIRE(std::holds_alternative<messages::Error>(missing));
  CHECK(std::get<messages::Error>(missing).code() == messages::ERROR_CODE_NOT_FOUND);

  std::promise<runtime::outcome<bool>> passivated;
  f.gateway.passivate("task", "a1", 2s, [&](runtime::outcome<bool> r) { passivated.set_value(std::move(r)); });
  CHECK(std::get<bool>(passivated.get_future().get()));
}
