// gRPC on a cluster: a task created through one node's gRPC port is read,
// updated and deleted through another's (an edge-only node), whichever
// worker owns its shard, and REST sees the same task.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "runtime/sharding/shard_key.hpp"
#include "tests/cluster/cluster_harness.hpp"
#include "tests/e2e/support/grpc_tasks_client.hpp"

using namespace taskflow;
using namespace taskflow::cluster_test;
using namespace std::chrono_literals;
namespace v1 = taskflow::v1;

TEST_CASE("a task created over one node's gRPC port is served by another node's", "[cluster]") {
  cluster_harness cluster;
  cluster.pass_to_new_nodes({"--grpc-listen", "127.0.0.1:0"});
  // The first node signs the harness in, so it serves the API too; e1
  // hosts no actor, so everything it serves crosses to a worker.
  cluster.add_node("w1");
  cluster.add_node("w2", "worker");
  cluster.add_node("e1", "edge");
  cluster.await_members(cluster.node("e1").port(), {"w1", "w2"}, 15s);

  e2e::grpc_tasks_client first{cluster.node("w1").grpc_port()};
  e2e::grpc_tasks_client second{cluster.node("e1").grpc_port()};
  e2e::call_options admin;
  admin.authorization = e2e::bearer(cluster.token());

  progress("creating tasks through w1's gRPC port");
  std::vector<v1::Task> created;
  for (int i = 0; i < 8; ++i) {
    v1::CreateTaskRequest request;
    request.mutable_task()->set_title("over gRPC " + std::to_string(i));
    auto answer = first.create(request, admin);
    INFO(answer.status.error_message());
    REQUIRE(answer.ok());
    created.push_back(answer.reply);
  }
  // More until both workers own one of them: the calls below then cross
  // from either edge to each worker.
  auto owners = cluster.shard_owners(cluster.node("e1").port());
  auto owner_of = [&](const v1::Task& task) {
    return owners[runtime::shard_of("task/" + task.id(), static_cast<std::uint32_t>(owners.size()))];
  };
  std::set<std::string> owning;
  for (const auto& task : created)
    owning.insert(owner_of(task));
  while (owning.size() < 2 && created.size() < 64) {
    v1::CreateTaskRequest request;
    request.mutable_task()->set_title("over gRPC, one more");
    auto answer = first.create(request, admin);
    REQUIRE(answer.ok());
    created.push_back(answer.reply);
    owning.insert(owner_of(answer.reply));
  }
  CHECK(owning == std::set<std::string>{"w1", "w2"});

  progress("reading and updating them through e1's");
  for (const auto& task : created) {
    auto read = second.get(task.id(), admin);
    INFO(read.status.error_message());
    REQUIRE(read.ok());
    CHECK(read.reply.title() == task.title());
    v1::UpdateTaskRequest update;
    update.mutable_task()->set_id(task.id());
    update.mutable_task()->set_priority(v1::PRIORITY_URGENT);
    update.mutable_update_mask()->add_paths("priority");
    update.set_expected_version(task.version());
    auto updated = second.update(update, admin);
    REQUIRE(updated.ok());
    CHECK(updated.reply.version() == task.version() + 1);
    // The stale version is refused through the first node too.
    CHECK(first.update(update, admin).status.error_code() == grpc::StatusCode::ABORTED);
  }

  e2e::http_client rest{cluster.node("e1").port()};
  rest.set_default_header("Authorization", "Bearer " + cluster.token());
  auto over_rest = rest.get("/api/v2/tasks/" + created.front().id());
  REQUIRE(over_rest.status == 200);
  CHECK(over_rest.json()["priority"] == "urgent");

  REQUIRE(second.remove(created.front().id(), admin).ok());
  CHECK(first.get(created.front().id(), admin).status.error_code() == grpc::StatusCode::NOT_FOUND);
}
