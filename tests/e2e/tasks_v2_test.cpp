// The v2 task resource through the running binary: its shape, cursor-paged
// lists that hold still while tasks are created, cursors that refuse edits,
// and v1 and v2 as two views of the same tasks.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <thread>
#include <utility>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

namespace {

// Alice and Bob, signed up on `server`: whoever is assigned must have an account.
std::pair<std::string, std::string> alice_and_bob(const server_process& server) {
  http_client other{server.port()};
  return {sign_up(other, "alice@example.com").id, sign_up(other, "bob@example.com").id};
}

json create_v2(http_client& c, const json& body) {
  auto r = c.post_json("/api/v2/tasks", body);
  REQUIRE(r.status == 201);
  return r.json();
}

http_result patch(http_client& c, const std::string& path, const json& body, int version) {
  return c.patch_json(path, body, "\"" + std::to_string(version) + "\"");
}

void wait_for_list_total(http_client& c, int total) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds{2};
  while (c.get("/api/v1/tasks").json()["total"] != total && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  REQUIRE(c.get("/api/v1/tasks").json()["total"] == total);
}

}  // namespace

TEST_CASE("v2 creates, reads and patches tasks in the v2 shape", "[e2e][v2]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto [alice, bob] = alice_and_bob(server);
  auto t = create_v2(c, {{"title", "Plan"},
                         {"priority", "urgent"},
                         {"assignees", {alice, bob}},
                         {"tags", {"q3", "ops"}},
                         {"due_at", "2030-01-15T09:30:00+01:00"},
                         {"external_ref", {{"source", "jira"}, {"id", "OPS-9"}}}});
  CHECK(t.size() == 13);
  CHECK(t["priority"] == "urgent");
  CHECK(t["state"]["status"] == "todo");
  CHECK(t["assignees"] == json::array({alice, bob}));
  CHECK(t["tags"] == json::array({"q3", "ops"}));
  CHECK(t["due_at"] == "2030-01-15T08:30:00.000Z");
  CHECK(t["external_ref"] == json{{"source", "jira"}, {"id", "OPS-9"}});
  std::string path = "/api/v2/tasks/" + t["id"].get<std::string>();
  CHECK(c.get(path).json() == t);

  auto moved = patch(c, path, {{"state", {{"status", "in_progress"}}}, {"tags", nullptr}, {"priority", "low"}}, 1);
  REQUIRE(moved.status == 200);
  auto m = moved.json();
  CHECK(m["state"]["status"] == "in_progress");
  CHECK(m["tags"] == json::array());
  CHECK(m["priority"] == "low");
  CHECK(m["version"] == 2);
  CHECK(patch(c, path, {{"state", {{"status", "cancelled"}}}}, 2).status == 200);
  CHECK(patch(c, path, {{"state", {{"status", "done"}}}}, 3).status == 409);

  auto bad = c.post_json("/api/v2/tasks", {{"title", "x"}, {"assignees", {"not-a-uuid"}}, {"priority", 2}});
  CHECK(bad.status == 400);
  std::set<std::string> fields;
  auto problem = bad.json();
  for (const auto& e : problem["errors"])
    fields.insert(e["field"].get<std::string>());
  CHECK(fields == std::set<std::string>{"priority"});
  auto bad_id = c.post_json("/api/v2/tasks", {{"title", "x"}, {"assignees", {"not-a-uuid"}}});
  CHECK(bad_id.status == 400);
  CHECK(bad_id.json()["errors"][0]["field"] == "assignees");
}

TEST_CASE("v1 and v2 are two views of the same task, both ways", "[e2e][v2]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto [alice, bob] = alice_and_bob(server);
  auto t = create_v2(c, {{"title", "Shared"}, {"assignees", {alice, bob}}, {"tags", {"keep"}}});
  auto id = t["id"].get<std::string>();
  auto v1 = c.get("/api/v1/tasks/" + id).json();
  CHECK(v1["assignee_id"] == alice);
  CHECK(v1["priority"] == 2);
  CHECK(v1["status"] == "todo");

  REQUIRE(patch(c, "/api/v1/tasks/" + id, {{"assignee_id", bob}, {"priority", 3}}, 1).status == 200);
  auto v2 = c.get("/api/v2/tasks/" + id).json();
  CHECK(v2["assignees"] == json::array({bob}));
  CHECK(v2["priority"] == "high");
  CHECK(v2["tags"] == json::array({"keep"}));

  auto from_v1 = c.post_json("/api/v1/tasks", {{"title", "Old"},
                                               {"assignee_id", alice},
                                               {"source", "s"},
                                               {"external_id", "e"},
                                               {"due_date", "2030-01-01T00:00:00Z"}});
  REQUIRE(from_v1.status == 201);
  auto seen = c.get("/api/v2/tasks/" + from_v1.json()["id"].get<std::string>()).json();
  CHECK(seen["assignees"] == json::array({alice}));
  CHECK(seen["external_ref"] == json{{"source", "s"}, {"id", "e"}});
  CHECK(seen["due_at"] == "2030-01-01T00:00:00.000Z");
  CHECK(seen["version"] == from_v1.json()["version"]);
}

TEST_CASE("cursor pages neither repeat nor skip while tasks are created", "[e2e][v2]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  std::vector<std::string> originals;
  for (int i = 0; i < 7; ++i)
    originals.push_back(create_v2(c, {{"title", "orig " + std::to_string(i)}})["id"]);
  wait_for_list_total(c, 7);

  std::vector<std::string> seen;
  auto page = c.get("/api/v2/tasks?limit=3").json();
  int added = 0;
  for (;;) {
    for (const auto& item : page["items"])
      seen.push_back(item["id"]);
    if (page["next_cursor"].is_null())
      break;
    // Two more tasks land between pages; they are newer than the cursor.
    create_v2(c, {{"title", "new " + std::to_string(added++)}});
    create_v2(c, {{"title", "new " + std::to_string(added++)}});
    wait_for_list_total(c, 7 + added);
    auto r = c.get("/api/v2/tasks?limit=3&cursor=" + page["next_cursor"].get<std::string>());
    REQUIRE(r.status == 200);
    page = r.json();
  }
  std::vector<std::string> newest_first(originals.rbegin(), originals.rend());
  CHECK(seen == newest_first);
}

TEST_CASE("cursors are opaque and refuse tampering with 400", "[e2e][v2]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto [alice, bob] = alice_and_bob(server);
  for (int i = 0; i < 3; ++i)
    create_v2(c, {{"title", "t" + std::to_string(i)}, {"assignees", {alice}}});
  wait_for_list_total(c, 3);
  auto first = c.get("/api/v2/tasks?limit=1&assignee=" + alice).json();
  auto cursor = first["next_cursor"].get<std::string>();
  CHECK(c.get("/api/v2/tasks?limit=1&assignee=" + alice + "&cursor=" + cursor).status == 200);

  auto edited = cursor;
  edited[edited.size() / 2] = edited[edited.size() / 2] == 'A' ? 'B' : 'A';
  for (const auto& target : {"/api/v2/tasks?assignee=" + alice + "&cursor=" + edited,
                             "/api/v2/tasks?assignee=" + alice + "&cursor=" + cursor.substr(1),
                             "/api/v2/tasks?assignee=" + alice + "&cursor=" + cursor + "AA",
                             "/api/v2/tasks?cursor=" + cursor,  // other filter
                             std::string{"/api/v2/tasks?cursor=%00%01"}}) {
    INFO(target);
    auto r = c.get(target);
    CHECK(r.status == 400);
    CHECK(r.json()["errors"][0]["field"] == "cursor");
  }
  CHECK(c.get("/api/v2/tasks?limit=0").status == 400);
  CHECK(c.get("/api/v2/tasks?limit=201").status == 400);
  CHECK(c.get("/api/v2/tasks?assignee=bob").status == 400);
  auto all = c.get("/api/v2/tasks?limit=200").json();
  CHECK(all["items"].size() == 3);
  CHECK(all["next_cursor"].is_null());
}
