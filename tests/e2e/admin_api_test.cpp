// The Admin section of API.md through the running binary: who may call it,
// the cluster and shard maps of a single node, an actor's life as the admin
// API sees it (created, resident, inspected, changed, passivated), that no
// secret shows, and the live event stream.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <set>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

namespace {

const std::vector<std::pair<std::string, std::string>> admin_routes{
    {"GET", "/admin/api/cluster"},
    {"GET", "/admin/api/shards"},
    {"GET", "/admin/api/actors"},
    {"GET", "/admin/api/actors/task/01a20f1d-e9b0-73d9-98cf-000000000001"},
    {"POST", "/admin/api/actors/task/01a20f1d-e9b0-73d9-98cf-000000000001/passivate"},
    {"GET", "/admin/api/stream"},
};

json create_task(http_client& c, const std::string& title) {
  auto r = c.post_json("/api/v1/tasks", {{"title", title}});
  REQUIRE(r.status == 201);
  return r.json();
}

std::string sign_up_and_in(http_client& c, const std::string& email) {
  c.clear_default_header("Authorization");
  auto r =
      c.post_json("/api/v1/users", {{"email", email}, {"password", "a long passphrase"}, {"display_name", "Someone"}});
  REQUIRE(r.status == 201);
  sign_in(c, email, "a long passphrase");
  return r.json()["id"];
}

// Listed resident tasks, following cursors to the end.
std::vector<json> resident_tasks(http_client& c, const std::string& extra = {}) {
  std::vector<json> out;
  std::string cursor;
  for (int pages = 0; pages < 100; ++pages) {
    auto target = "/admin/api/actors?type=task&limit=2" + extra + (cursor.empty() ? "" : "&cursor=" + cursor);
    auto r = c.get(target);
    REQUIRE(r.status == 200);
    auto page = r.json();
    for (auto& item : page["items"])
      out.push_back(item);
    if (page["next_cursor"].is_null())
      break;
    cursor = page["next_cursor"];
  }
  return out;
}

// Opens the event stream on a fresh connection and collects what arrives
// until `enough` holds for it, the server closes, or `limit` passes.
std::string read_stream(std::uint16_t port, const std::string& token, std::chrono::milliseconds limit,
                        const std::function<bool(const std::string&)>& enough) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  auto request = "GET /admin/api/stream HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\nAuthorization: Bearer " +
                 token + "\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string out;
  auto until = std::chrono::steady_clock::now() + limit;
  while (!enough(out)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0)
      break;
    char chunk[4096];
    auto n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0)
      break;
    out.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace

TEST_CASE("the admin API answers 401 without a credential and 403 to non-admins", "[e2e][admin]") {
  server_process server;
  http_client c{server.port()};
  for (const auto& [method, path] : admin_routes) {
    INFO(method << " " << path);
    auto anonymous = c.request(method, path);
    CHECK(anonymous.status == 401);
    CHECK(anonymous.header("www-authenticate").rfind("Bearer", 0) == 0);
    CHECK(anonymous.header("content-type") == "application/problem+json");
  }
  sign_up_and_in(c, "user@example.com");
  for (const auto& [method, path] : admin_routes) {
    INFO(method << " " << path);
    auto user = c.request(method, path);
    CHECK(user.status == 403);
    CHECK(user.header("content-type") == "application/problem+json");
  }
  // An admin's API key carries task scopes only.
  sign_in_as_admin(c);
  auto key = c.post_json("/api/v1/api-keys", {{"name", "ops"}, {"scopes", {"tasks:read"}}});
  REQUIRE(key.status == 201);
  c.clear_default_header("Authorization");
  CHECK(c.get("/admin/api/cluster", {{"X-API-Key", key.json()["key"]}}).status == 403);
}

TEST_CASE("a single node is a cluster of one that owns every shard", "[e2e][admin]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto cluster = c.get("/admin/api/cluster");
  REQUIRE(cluster.status == 200);
  auto body = cluster.json();
  CHECK(body["cluster"] == "taskflow");
  CHECK(body["shard_count"] == 1024);
  REQUIRE(body["nodes"].size() == 1);
  const auto& node = body["nodes"][0];
  CHECK(node["id"] == body["node_id"]);
  CHECK(node["state"] == "up");
  CHECK(node["roles"] == json{"edge", "worker"});
  CHECK(node["http_address"] == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(node["shards_owned"] == 1024);
  CHECK(node["resident_actors"].is_number());
  CHECK(node["started_at"].is_string());

  auto shards = c.get("/admin/api/shards");
  REQUIRE(shards.status == 200);
  CHECK(shards.json()["shard_count"] == 1024);
  REQUIRE(shards.json()["owners"].size() == 1024);
  CHECK(shards.json()["owners"][1023] == body["node_id"]);
}

TEST_CASE("a task's actor through the admin API: listed, shown, changed, passivated", "[e2e][admin]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto task = create_task(c, "Inspect me");
  std::string id = task["id"];

  auto listed = resident_tasks(c);
  auto found = std::find_if(listed.begin(), listed.end(), [&](const json& item) { return item["id"] == id; });
  REQUIRE(found != listed.end());
  CHECK((*found)["type"] == "task");
  CHECK((*found)["node"].is_string());
  CHECK((*found)["shard"].is_number());
  CHECK((*found)["activated_at"].is_string());
  CHECK((*found)["mailbox_size"] == 0);

  auto shown = c.get("/admin/api/actors/task/" + id);
  REQUIRE(shown.status == 200);
  auto actor = shown.json();
  CHECK(actor["resident"] == true);
  CHECK(actor["version"] == 1);
  CHECK(actor["state"]["title"] == "Inspect me");
  CHECK(actor["state"]["version"] == 1);
  CHECK(actor["shard"] == (*found)["shard"]);
  CHECK(actor["node"] == (*found)["node"]);
  REQUIRE(actor["recent_events"].size() == 1);
  CHECK(actor["recent_events"][0]["type"] == "task.created");

  auto patched = c.patch_json("/api/v1/tasks/" + id, {{"title", "Inspected"}}, "\"1\"");
  REQUIRE(patched.status == 200);
  actor = c.get("/admin/api/actors/task/" + id).json();
  CHECK(actor["version"] == 2);
  CHECK(actor["state"]["title"] == "Inspected");
  REQUIRE(actor["recent_events"].size() == 2);
  CHECK(actor["recent_events"][0]["type"] == "task.updated");
  CHECK(actor["recent_events"][0]["version"] == 2);

  auto passivated = c.request("POST", "/admin/api/actors/task/" + id + "/passivate");
  CHECK(passivated.status == 204);
  listed = resident_tasks(c);
  CHECK(std::none_of(listed.begin(), listed.end(), [&](const json& item) { return item["id"] == id; }));
  CHECK(c.request("POST", "/admin/api/actors/task/" + id + "/passivate").status == 404);

  // Not resident: the stored state, read without activating the actor.
  auto stored = c.get("/admin/api/actors/task/" + id);
  REQUIRE(stored.status == 200);
  CHECK(stored.json()["resident"] == false);
  CHECK(stored.json()["state"]["title"] == "Inspected");
  CHECK(stored.json()["mailbox_size"].is_null());
  CHECK(stored.json()["activated_at"].is_null());
  listed = resident_tasks(c);
  CHECK(std::none_of(listed.begin(), listed.end(), [&](const json& item) { return item["id"] == id; }));

  CHECK(c.get("/admin/api/actors/task/01a20f1d-e9b0-73d9-98cf-0000000000ff").status == 404);
  CHECK(c.get("/admin/api/actors/tasks/" + id).status == 404);
  CHECK(c.get("/admin/api/actors/task/not-a-uuid").status == 404);
}

TEST_CASE("resident actors page by cursor, filter by node and prefix, and refuse bad input", "[e2e][admin]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  std::set<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.insert(create_task(c, "task " + std::to_string(i))["id"].get<std::string>());
  auto listed = resident_tasks(c);
  std::vector<std::string> seen;
  for (const auto& item : listed)
    seen.push_back(item["id"]);
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(std::set<std::string>(seen.begin(), seen.end()) == ids);
  CHECK(seen.size() == ids.size());

  auto node = c.get("/admin/api/cluster").json()["node_id"].get<std::string>();
  CHECK(resident_tasks(c, "&node=" + node).size() == 5);
  CHECK(resident_tasks(c, "&node=no-such-node").empty());
  auto first = *ids.begin();
  auto by_prefix = resident_tasks(c, "&prefix=" + first.substr(0, 36));
  REQUIRE(by_prefix.size() == 1);
  CHECK(by_prefix[0]["id"] == first);

  for (const auto* bad : {"?type=tasks", "?limit=0", "?limit=501", "?limit=x", "?cursor=nonsense"}) {
    INFO(bad);
    auto r = c.get(std::string{"/admin/api/actors"} + bad);
    CHECK(r.status == 400);
    CHECK(r.header("content-type") == "application/problem+json");
    CHECK(r.json()["errors"].size() == 1);
  }
  auto sessions = c.get("/admin/api/actors?type=session");
  REQUIRE(sessions.status == 200);
  auto page = sessions.json();  // the range below must not outlive it
  for (const auto& item : page["items"])
    CHECK(item["type"] == "session");
}

TEST_CASE("no password or token hash shows in a user's or a session's state", "[e2e][admin]") {
  server_process server;
  http_client c{server.port()};
  auto user_id = sign_up_and_in(c, "secretive@example.com");
  auto grant = sign_in(c, "secretive@example.com", "a long passphrase");
  std::string session_id = grant["session_id"];
  sign_in_as_admin(c);

  auto user = c.get("/admin/api/actors/user/" + user_id);
  REQUIRE(user.status == 200);
  CHECK(user.json()["state"]["email"] == "secretive@example.com");
  CHECK(user.body.find("argon2") == std::string::npos);
  CHECK(user.body.find("password") == std::string::npos);
  CHECK(user.json()["recent_events"][0]["type"] == "user.registered");

  auto session = c.get("/admin/api/actors/session/" + session_id);
  REQUIRE(session.status == 200);
  CHECK(session.json()["state"]["user_id"] == user_id);
  CHECK(session.body.find("hash") == std::string::npos);
  std::string refresh = grant["refresh_token"];
  CHECK(session.body.find(refresh.substr(refresh.find('.') + 1)) == std::string::npos);
}

TEST_CASE("the event stream delivers an activation and a domain event for a new task", "[e2e][admin]") {
  server_process server;
  http_client c{server.port()};
  auto grant = sign_in_as_admin(c);
  auto reading = std::async(std::launch::async, [&] {
    return read_stream(server.port(), grant["access_token"], std::chrono::seconds{10},
                       [](const std::string& wire) { return wire.find("\"task.created\"") != std::string::npos; });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds{500});
  auto started = std::chrono::steady_clock::now();
  std::string id = create_task(c, "Streamed")["id"];
  auto wire = reading.get();
  INFO(wire);
  CHECK(wire.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(wire.find("Content-Type: text/event-stream") != std::string::npos);
  CHECK(wire.find("Cache-Control: no-store") != std::string::npos);
  CHECK(wire.find("Transfer-Encoding: chunked") != std::string::npos);
  auto activation = wire.find("event: activation\ndata: ");
  REQUIRE(activation != std::string::npos);
  CHECK(wire.find(id, activation) != std::string::npos);
  auto domain = wire.find("event: domain_event\ndata: ");
  REQUIRE(domain != std::string::npos);
  CHECK(wire.find("\"task.created\"", domain) != std::string::npos);
  CHECK(wire.find(id, domain) != std::string::npos);
  CHECK(wire.find("\nid: ") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds{6});
}

TEST_CASE("SIGTERM ends open event streams and the node still exits promptly", "[e2e][admin]") {
  server_process server;
  http_client c{server.port()};
  auto grant = sign_in_as_admin(c);
  auto reading = std::async(std::launch::async, [&] {
    return read_stream(server.port(), grant["access_token"], std::chrono::seconds{10},
                       [](const std::string&) { return false; });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds{500});
  auto started = std::chrono::steady_clock::now();
  CHECK(server.terminate() == 0);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds{5});
  auto wire = reading.get();
  CHECK(wire.rfind("HTTP/1.1 200", 0) == 0);
  // The last chunk: the stream ended cleanly rather than being cut.
  CHECK(wire.size() >= 5);
  CHECK(wire.substr(wire.size() - 5) == "0\r\n\r\n");
}
