// The admin API's JSON and its Server-Sent Events frames.
#include <catch2/catch.hpp>

#include "http-edge/admin/admin_views.hpp"

using namespace taskflow;

TEST_CASE("a runtime event is one SSE frame with id, event and a one-line data", "[admin_views]") {
  runtime::runtime_event e{42, "activation", "n1", 1'700'000'000'000, R"({"type":"task","id":"t\n1","shard":7})"};
  auto frame = edge::sse_frame(e);
  CHECK(frame.rfind("id: 42\nevent: activation\ndata: ", 0) == 0);
  CHECK(frame.size() > 2);
  CHECK(frame.substr(frame.size() - 2) == "\n\n");
  auto data_line = frame.substr(frame.find("data: ") + 6);
  data_line.resize(data_line.size() - 2);
  CHECK(data_line.find('\n') == std::string::npos);
  auto data = nlohmann::json::parse(data_line);
  CHECK(data["seq"] == 42);
  CHECK(data["kind"] == "activation");
  CHECK(data["node"] == "n1");
  CHECK(data["at"] == "2023-11-14T22:13:20.000Z");
  CHECK(data["data"]["shard"] == 7);
}

TEST_CASE("a dropped frame tells how many events were lost", "[admin_views]") {
  CHECK(edge::sse_dropped_frame(3) == "event: dropped\ndata: {\"dropped\":3}\n\n");
}

TEST_CASE("an actor that is not resident shows null times and mailbox", "[admin_views]") {
  messages::ActorSnapshot s;
  s.set_type("task");
  s.set_id("t1");
  s.set_node_id("n1");
  s.set_shard(3);
  s.set_version(2);
  s.set_exists(true);
  s.set_mailbox_size(-1);
  s.set_state_json(R"({"title":"x","version":2,"status":"TASK_STATUS_DONE","created_at_ms":1000})");
  s.add_recent_events_json(R"({"type":"task.updated"})");
  auto json = edge::actor_snapshot_to_json(s);
  CHECK(json["resident"] == false);
  CHECK(json["activated_at"].is_null());
  CHECK(json["last_message_at"].is_null());
  CHECK(json["mailbox_size"].is_null());
  CHECK(json["state"]["title"] == "x");
  CHECK(json["state"]["status"] == "done");
  CHECK(json["state"]["created_at"] == "1970-01-01T00:00:01.000Z");
  CHECK(json["recent_events"][0]["type"] == "task.updated");
  CHECK(json["recent_events"][0].contains("summary"));
  CHECK(json["node"] == "n1");
}

TEST_CASE("the cluster map marks a node that did not answer", "[admin_views]") {
  runtime::cluster_status status{"taskflow", "n1", 1024, {}};
  status.nodes.push_back({{"n1", {"edge", "worker"}, "up", "127.0.0.1:8080", "", 1000, 1024}, 5});
  status.nodes.push_back({{"n2", {"worker"}, "up", "127.0.0.1:8081", "127.0.0.1:4000", 1000, 0}, std::nullopt});
  auto json = edge::cluster_to_json(status);
  CHECK(json["nodes"][0]["resident_actors"] == 5);
  CHECK(json["nodes"][0]["cluster_address"].is_null());
  CHECK(json["nodes"][1]["resident_actors"].is_null());
  CHECK(json["nodes"][1]["cluster_address"] == "127.0.0.1:4000");
}

TEST_CASE("a resident actor is listed with what a person knows it by", "[admin_views]") {
  messages::ResidentActor actor;
  actor.set_type("user");
  actor.set_id("u1");
  actor.set_mailbox_size(-1);
  CHECK(edge::resident_actor_to_json(actor)["label"].is_null());
  actor.set_label("ada@example.com");
  CHECK(edge::resident_actor_to_json(actor)["label"] == "ada@example.com");
}

TEST_CASE("a domain event on the stream reads as its summary and changes", "[admin_views]") {
  runtime::runtime_event e{7, "domain_event", "n1", 1000,
                           R"({"type":"task.status_changed","version":2,"actor_id":"u1","occurred_at_ms":1000,)"
                           R"("data":{"from":"TASK_STATUS_TODO","to":"TASK_STATUS_DONE","task":{"title":"x"}}})"};
  auto frame = edge::sse_frame(e);
  auto data = nlohmann::json::parse(frame.substr(frame.find("data: ") + 6));
  CHECK(data["data"]["summary"] == "status todo → done by u1");
  CHECK_FALSE(data["data"].contains("data"));
}
