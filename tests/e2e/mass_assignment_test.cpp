// Object property authorization (OWASP API3, mass assignment) through the
// running binary: a client cannot set what the server owns. docs/security.md
// has the rule: the mappers read only writable fields, so `id`, `owner_id`,
// `version`, timestamps and a registration's `roles` are ignored (201/200
// with the server's values), never stored; a user has no route that changes
// its own record.
#include <catch2/catch.hpp>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

namespace {

const std::string long_ago = "2000-01-01T00:00:00Z";
const std::string made_up_id = "01a20f1d-e9b0-73d9-98cf-0000000f00d5";

// Every field of a task the server decides, each with a value a client would like.
json server_fields(const account& victim, const std::string& victims_task_id) {
  return {{"id", victims_task_id},
          {"owner_id", victim.id},
          {"version", 42},
          {"created_at", long_ago},
          {"updated_at", long_ago}};
}

json with(json body, const json& extra) {
  body.update(extra);
  return body;
}

http_result patch(http_client& c, const account& as, const std::string& target, const json& body, int version) {
  return c.request("PATCH", target, body.dump(),
                   {{"Content-Type", "application/merge-patch+json"},
                    {"If-Match", "\"" + std::to_string(version) + "\""},
                    {"Authorization", "Bearer " + as.token}});
}

// A task of the victim's that an attacker names in its bodies, and checks afterwards.
struct victims_task {
  account victim;
  json task;
};

victims_task make_victim(http_client& c, const std::string& tasks) {
  auto victim = sign_up(c, "victim@mass.test");
  auto r = c.post_json(tasks, {{"title", "the victim's"}}, victim.auth());
  REQUIRE(r.status == 201);
  return {victim, r.json()};
}

void victim_is_untouched(http_client& c, const std::string& tasks, const victims_task& v) {
  auto now = c.get(tasks + "/" + v.task["id"].get<std::string>(), v.victim.auth());
  REQUIRE(now.status == 200);
  CHECK(now.json() == v.task);
}

// Create and patch through `tasks` ignore every server field, for any API version.
void task_fields_stay_the_servers(const std::string& tasks) {
  server_process server;
  http_client c{server.port()};
  auto v = make_victim(c, tasks);
  auto attacker = sign_up(c, "attacker@mass.test");
  const auto wished = server_fields(v.victim, v.task["id"].get<std::string>());

  auto created = c.post_json(tasks, with({{"title", "mine"}}, wished), attacker.auth());
  REQUIRE(created.status == 201);
  auto task = created.json();
  auto path = tasks + "/" + task["id"].get<std::string>();
  CHECK(task["id"] != v.task["id"]);
  CHECK(task["owner_id"] == attacker.id);
  CHECK(task["version"] == 1);
  CHECK(task["created_at"] != long_ago);
  CHECK(task["updated_at"] == task["created_at"]);
  CHECK(created.header("location") == path);
  // Stored so, not only answered so: the victim was not made its owner.
  CHECK(c.get(path, attacker.auth()).json() == task);
  CHECK(c.get(path, v.victim.auth()).status == 404);
  victim_is_untouched(c, tasks, v);

  auto changed = patch(c, attacker, path, with({{"title", "renamed"}}, wished), 1);
  REQUIRE(changed.status == 200);
  auto after = changed.json();
  CHECK(after["title"] == "renamed");
  CHECK(after["id"] == task["id"]);
  CHECK(after["owner_id"] == attacker.id);
  CHECK(after["version"] == 2);
  CHECK(after["created_at"] == task["created_at"]);
  CHECK(after["updated_at"] != long_ago);
  CHECK(c.get(path, attacker.auth()).json() == after);

  // Only server fields: nothing to change, so no new version and no new time.
  auto idle = patch(c, attacker, path, wished, 2);
  REQUIRE(idle.status == 200);
  CHECK(idle.json() == after);
  CHECK(c.get(path, v.victim.auth()).status == 404);
  victim_is_untouched(c, tasks, v);
}

}  // namespace

TEST_CASE("mass assignment: a registration's roles, id and created_at are ignored", "[e2e][mass-assignment]") {
  server_process server;
  http_client c{server.port()};
  auto r = c.post_json("/api/v1/users", {{"email", "mallory@mass.test"},
                                         {"password", "a long passphrase"},
                                         {"display_name", "Mallory"},
                                         {"roles", {"admin"}},
                                         {"id", made_up_id},
                                         {"created_at", long_ago}});
  REQUIRE(r.status == 201);
  auto user = r.json();
  CHECK(user["roles"] == json{"user"});
  CHECK(user["id"] != made_up_id);
  CHECK(user["created_at"] != long_ago);

  sign_in(c, "mallory@mass.test", "a long passphrase");
  auto me = c.get("/api/v1/users/me").json();
  CHECK(me["roles"] == json{"user"});
  CHECK(me["id"] == user["id"]);
  CHECK(c.get("/admin/api/cluster").status == 403);
  CHECK(c.post_json("/api/v1/oauth-clients", {{"name", "x"}, {"scopes", {"tasks:read"}}}).status == 403);

  // No route changes a user's own record, so roles cannot be patched in either.
  for (const auto* method : {"PATCH", "PUT"}) {
    INFO(method);
    auto refused = c.request(method, "/api/v1/users/me", json{{"roles", {"admin"}}}.dump(),
                             {{"Content-Type", "application/merge-patch+json"}});
    CHECK(refused.status == 405);
    CHECK(refused.header("allow").find("GET") != std::string::npos);
  }
  CHECK(c.get("/api/v1/users/me").json()["roles"] == json{"user"});
  CHECK(c.get("/admin/api/cluster").status == 403);
}

TEST_CASE("mass assignment: v1 task create and patch keep the server's id, owner, version and timestamps",
          "[e2e][mass-assignment]") {
  task_fields_stay_the_servers("/api/v1/tasks");
}

TEST_CASE("mass assignment: v2 task create and patch keep the server's id, owner, version and timestamps",
          "[e2e][mass-assignment]") {
  task_fields_stay_the_servers("/api/v2/tasks");
}

TEST_CASE("mass assignment: a v2 task's state.changed_at is the server's, and a new task starts as todo",
          "[e2e][mass-assignment]") {
  server_process server;
  http_client c{server.port()};
  auto owner = sign_up(c, "owner@mass.test");
  // API.md: new tasks are todo. A create that asks for another status is refused, not half-applied.
  CHECK(c.post_json("/api/v1/tasks", {{"title", "x"}, {"status", "done"}}, owner.auth()).status == 400);
  CHECK(c.post_json("/api/v2/tasks", {{"title", "x"}, {"state", {{"status", "done"}}}}, owner.auth()).status == 400);
  CHECK(c.get("/api/v2/tasks", owner.auth()).json()["items"].empty());

  auto created = c.post_json("/api/v2/tasks",
                             {{"title", "x"}, {"state", {{"status", "todo"}, {"changed_at", long_ago}}}}, owner.auth());
  REQUIRE(created.status == 201);
  auto task = created.json();
  CHECK(task["state"]["status"] == "todo");
  CHECK(task["state"]["changed_at"] == task["created_at"]);

  auto path = "/api/v2/tasks/" + task["id"].get<std::string>();
  auto moved = patch(c, owner, path, {{"state", {{"status", "in_progress"}, {"changed_at", long_ago}}}}, 1);
  REQUIRE(moved.status == 200);
  CHECK(moved.json()["state"]["status"] == "in_progress");
  CHECK(moved.json()["state"]["changed_at"] != long_ago);
  CHECK(moved.json()["state"]["changed_at"] == moved.json()["updated_at"]);
}

TEST_CASE("mass assignment: an API key and a webhook are their creator's, whatever the body names",
          "[e2e][mass-assignment]") {
  server_process server{{"--webhook-allow-private"}};
  http_client c{server.port()};
  auto v = make_victim(c, "/api/v1/tasks");
  auto attacker = sign_up(c, "attacker@mass.test");

  const std::string chosen_key = "tfk_chosen00_" + std::string(43, 'k');
  auto made = c.post_json("/api/v1/api-keys",
                          {{"name", "mine"},
                           {"scopes", {"tasks:read"}},
                           {"user_id", v.victim.id},
                           {"id", made_up_id},
                           {"prefix", "tfk_chosen00"},
                           {"key", chosen_key},
                           {"created_at", long_ago}},
                          attacker.auth());
  REQUIRE(made.status == 201);
  auto key = made.json();
  CHECK(key["id"] != made_up_id);
  CHECK(key["key"] != chosen_key);
  CHECK(key["key"].get<std::string>().rfind(key["prefix"].get<std::string>(), 0) == 0);
  CHECK(key["scopes"] == json{"tasks:read"});
  std::map<std::string, std::string> as_key{{"X-API-Key", key["key"].get<std::string>()}};
  CHECK(c.get("/api/v1/users/me", as_key).json()["id"] == attacker.id);
  CHECK(c.get("/api/v1/tasks/" + v.task["id"].get<std::string>(), as_key).status == 404);
  CHECK(c.get("/api/v1/users/me", {{"X-API-Key", chosen_key}}).status == 401);

  auto hook = c.post_json("/api/v1/webhooks",
                          {{"url", "http://127.0.0.1:9/mass"},
                           {"events", {"task.overdue"}},
                           {"user_id", v.victim.id},
                           {"id", made_up_id},
                           {"created_at", long_ago}},
                          attacker.auth());
  REQUIRE(hook.status == 201);
  CHECK(hook.json()["id"] != made_up_id);
  CHECK(hook.json()["created_at"] != long_ago);
  CHECK(c.get("/api/v1/webhooks", v.victim.auth()).json()["items"].empty());
  CHECK(c.get("/api/v1/webhooks", attacker.auth()).json()["items"].size() == 1);
  victim_is_untouched(c, "/api/v1/tasks", v);
}
