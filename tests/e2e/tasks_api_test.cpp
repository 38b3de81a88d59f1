// The v1 task resource through the running binary: CRUD, ETags, status moves,
// lists and the read model catching up.
#include <catch2/catch.hpp>

#include <thread>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

namespace {

json create(http_client& c, json body) {
  auto r = c.post_json("/api/v1/tasks", body);
  REQUIRE(r.status == 201);
  return r.json();
}

// Lists are eventually consistent; poll until `pred` holds (API.md's target
// is well under a second).
json list_until(http_client& c, const std::string& target, const std::function<bool(const json&)>& pred) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds{1};
  json last;
  do {
    auto r = c.get(target);
    REQUIRE(r.status == 200);
    last = r.json();
    if (pred(last))
      return last;
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  } while (std::chrono::steady_clock::now() < until);
  FAIL("list never satisfied the condition within 1 s; last: " << last.dump());
  return last;
}

}  // namespace

TEST_CASE("create answers 201 with Location, ETag and the v1 task", "[e2e][tasks]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto r = c.post_json("/api/v1/tasks", {{"title", "Write the report"},
                                         {"description", "Q3 numbers"},
                                         {"priority", 4},
                                         {"due_date", "2030-01-15T09:30:00+01:00"},
                                         {"source", "jira"},
                                         {"external_id", "OPS-7"}});
  REQUIRE(r.status == 201);
  auto t = r.json();
  CHECK(r.header("location") == "/api/v1/tasks/" + t["id"].get<std::string>());
  CHECK(r.header("etag") == "\"1\"");
  CHECK(r.header("content-type") == "application/json; charset=utf-8");
  CHECK(t["title"] == "Write the report");
  CHECK(t["status"] == "todo");
  CHECK(t["priority"] == 4);
  CHECK(t["due_date"] == "2030-01-15T08:30:00.000Z");
  CHECK(t["assignee_id"].is_null());
  CHECK(t["source"] == "jira");
  CHECK(t["external_id"] == "OPS-7");
  CHECK(t["version"] == 1);
  for (auto field : {"id", "description", "owner_id", "created_at", "updated_at"})
    CHECK(t.contains(field));
  CHECK(t.size() == 13);

  auto got = c.get(r.header("location"));
  CHECK(got.status == 200);
  CHECK(got.json() == t);
  CHECK(got.header("etag") == "\"1\"");
}

TEST_CASE("defaults: priority 2, empty description, no due date", "[e2e][tasks]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto t = create(c, {{"title", "Minimal"}});
  CHECK(t["priority"] == 2);
  CHECK(t["description"] == "");
  CHECK(t["due_date"].is_null());
}

TEST_CASE("create, patch, list: the list shows the patched task within a second", "[e2e][tasks]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto t = create(c, {{"title", "Draft"}});
  std::string path = "/api/v1/tasks/" + t["id"].get<std::string>();
  auto p = c.patch_json(path, {{"title", "Final"}, {"status", "in_progress"}}, "\"1\"");
  REQUIRE(p.status == 200);
  CHECK(p.json()["version"] == 2);
  CHECK(p.header("etag") == "\"2\"");
  list_until(c, "/api/v1/tasks", [&](const json& page) {
    return page["total"] == 1 && page["items"][0]["title"] == "Final" && page["items"][0]["status"] == "in_progress";
  });
}

TEST_CASE("ETag flow: 304 on a match, 412 when stale, 428 when missing", "[e2e][tasks]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto t = create(c, {{"title", "Conditional"}});
  std::string path = "/api/v1/tasks/" + t["id"].get<std::string>();

  auto unchanged = c.get(path, {{"If-None-Match", "\"1\""}});
  CHECK(unchanged.status == 304);
  CHECK(unchanged.body.empty());
  CHECK(unchanged.header("etag") == "\"1\"");
  CHECK(c.get(path, {{"If-None-Match", "\"7\""}}).status == 200);

  auto missing = c.request("PATCH", path, R"({"title":"x"})", {{"Content-Type", "application/merge-patch+json"}});
  CHECK(missing.status == 428);
  CHECK(missing.header("content-type") == "application/problem+json");
  // The hint names this task's ETag, so it can be pasted as it is.
  CHECK(missing.header("etag") == "\"1\"");
  CHECK_THAT(missing.json()["detail"].get<std::string>(), Catch::Contains("If-Match: \"1\""));

  REQUIRE(c.patch_json(path, {{"title", "v2"}}, "\"1\"").status == 200);
  auto stale = c.patch_json(path, {{"title", "lost update"}}, "\"1\"");
  CHECK(stale.status == 412);
  CHECK(c.get(path).json()["title"] == "v2");
  CHECK(c.patch_json(path, {{"title", "weak"}}, "W/\"2\"").status == 412);
  CHECK(c.patch_json(path, {{"title", "any"}}, "*").status == 200);
}

TEST_CASE("status moves through the API follow API.md", "[e2e][tasks]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto t = create(c, {{"title", "Moves"}});
  std::string path = "/api/v1/tasks/" + t["id"].get<std::string>();
  int version = 1;
  auto move = [&](const std::string& to) {
    auto r = c.patch_json(path, {{"status", to}}, "\"" + std::to_string(version) + "\"");
    if (r.status == 200)
      version = r.json()["version"];
    return r.status;
  };
  CHECK(move("done") == 409);
  CHECK(move("in_progress") == 200);
  CHECK(move("done") == 200);
  CHECK(move("cancelled") == 409);
  CHECK(move("todo") == 200);
  CHECK(move("cancelled") == 200);
  CHECK(move("in_progress") == 409);
  CHECK(move("todo") == 200);
  auto bad = c.patch_json(path, {{"status", "finished"}}, "\"" + std::to_string(version) + "\"");
  CHECK(bad.status == 400);
  CHECK(bad.json()["errors"][0]["field"] == "status");
}

TEST_CASE("delete answers 204, then the task is gone", "[e2e][tasks]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto t = create(c, {{"title", "Doomed"}});
  std::string path = "/api/v1/tasks/" + t["id"].get<std::string>();
  CHECK(c.request("DELETE", path, {}, {{"If-Match", "\"9\""}}).status == 412);
  auto del = c.request("DELETE", path);
  CHECK(del.status == 204);
  CHECK(del.body.empty());
  CHECK(c.get(path).status == 404);
  CHECK(c.request("DELETE", path).status == 404);
  CHECK(c.patch_json(path, {{"title", "zombie"}}, "*").status == 404);
  list_until(c, "/api/v1/tasks", [](const json& page) { return page["total"] == 0; });
}

TEST_CASE("the natural key: a repeat answers 409 with the existing task's Location", "[e2e][tasks]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  json body = {{"title", "Imported"}, {"source", "github"}, {"external_id", "issue-42"}};
  auto first = create(c, body);
  auto again = c.post_json("/api/v1/tasks", body);
  CHECK(again.status == 409);
  CHECK(again.header("location") == "/api/v1/tasks/" + first["id"].get<std::string>());
  list_until(c, "/api/v1/tasks", [](const json& page) { return page["total"] == 1; });
}

TEST_CASE("lists filter by status and assignee and page newest first", "[e2e][tasks]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  // Whoever is assigned must have an account.
  http_client other{server.port()};
  const auto assignee = sign_up(other, "aaron@example.com").id;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(
        create(c, {{"title", "t" + std::to_string(i)}, {"assignee_id", i % 2 ? json(assignee) : json(nullptr)}})["id"]);
  auto p = c.patch_json("/api/v1/tasks/" + ids[0], {{"status", "in_progress"}}, "\"1\"");
  REQUIRE(p.status == 200);

  auto all = list_until(c, "/api/v1/tasks?page=1&page_size=2", [](const json& page) { return page["total"] == 5; });
  CHECK(all["page"] == 1);
  CHECK(all["page_size"] == 2);
  REQUIRE(all["items"].size() == 2);
  CHECK(all["items"][0]["id"] == ids[4]);
  CHECK(all["items"][1]["id"] == ids[3]);
  auto last = c.get("/api/v1/tasks?page=3&page_size=2").json();
  REQUIRE(last["items"].size() == 1);
  CHECK(last["items"][0]["id"] == ids[0]);

  auto doing = list_until(c, "/api/v1/tasks?status=in_progress", [](const json& page) { return page["total"] == 1; });
  CHECK(doing["items"][0]["id"] == ids[0]);
  auto theirs = c.get("/api/v1/tasks?assignee_id=" + assignee).json();
  CHECK(theirs["total"] == 2);

  CHECK(c.get("/api/v1/tasks?page_size=201").status == 400);
  CHECK(c.get("/api/v1/tasks?page_size=0").status == 400);
  CHECK(c.get("/api/v1/tasks?page=-1").status == 400);
  CHECK(c.get("/api/v1/tasks?status=finished").status == 400);
  CHECK(c.get("/api/v1/tasks?assignee_id=bob").status == 400);
  CHECK(c.get("/api/v1/tasks?page=99").json()["items"].empty());
}

TEST_CASE("assignee_id round-trips and null clears it", "[e2e][tasks]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  // Whoever is assigned must have an account.
  http_client other{server.port()};
  const auto assignee = sign_up(other, "bea@example.com").id;
  auto t = create(c, {{"title", "Delegate"}, {"assignee_id", assignee}});
  CHECK(t["assignee_id"] == assignee);
  auto cleared = c.patch_json("/api/v1/tasks/" + t["id"].get<std::string>(),
                              {{"assignee_id", nullptr}, {"due_date", nullptr}}, "\"1\"");
  REQUIRE(cleared.status == 200);
  CHECK(cleared.json()["assignee_id"].is_null());
}

TEST_CASE("a task cannot be assigned to someone without an account", "[e2e][tasks]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  const std::string nobody = "01a20f1d-0000-7000-8000-0000000000cc";
  auto created = c.post_json("/api/v1/tasks", {{"title", "For nobody"}, {"assignee_id", nobody}});
  CHECK(created.status == 400);
  CHECK(created.header("content-type") == "application/problem+json");
  REQUIRE(created.json()["errors"].size() == 1);
  CHECK(created.json()["errors"][0]["field"] == "assignee_id");
  CHECK(created.json()["errors"][0]["message"].get<std::string>().find(nobody) != std::string::npos);
  auto v2 = c.post_json("/api/v2/tasks", {{"title", "For nobody"}, {"assignees", {nobody}}});
  CHECK(v2.status == 400);
  CHECK(v2.json()["errors"][0]["field"] == "assignees");

  // Nor reassigned to one; the task is left as it was.
  auto task = create(c, {{"title", "Mine"}});
  auto id = task["id"].get<std::string>();
  auto patched = c.patch_json("/api/v1/tasks/" + id, {{"assignee_id", nobody}}, "\"1\"");
  CHECK(patched.status == 400);
  CHECK(c.get("/api/v1/tasks/" + id).json()["version"] == 1);

  http_client other{server.port()};
  const auto somebody = sign_up(other, "somebody@example.com").id;
  CHECK(c.patch_json("/api/v1/tasks/" + id, {{"assignee_id", somebody}}, "\"1\"").status == 200);
}
