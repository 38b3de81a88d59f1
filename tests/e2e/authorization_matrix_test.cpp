// Object- and function-level authorization (OWASP API1 and API5) as one
// table: every route the node serves, asked by each kind of principal, must
// answer what the contract says. The expected statuses come from API.md, with
// docs/security.md and the OpenAPI documents where API.md is silent (which
// scope a route needs, who may delete a task); they are not copied from what
// the server answers. One node and one set of accounts serve the whole table;
// a cell that consumes its object (a DELETE, a PATCH, a logout) gets a fresh
// one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <functional>
#include <random>
#include <set>

#include "tests/e2e/support/event_stream.hpp"
#include "tests/e2e/support/eventually.hpp"
#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// The two keys are the owner's, so a key that reaches an object reaches it
// as the owner would, and only its scope can stop it.
enum class principal { owner, assignee, other, admin, read_key, write_key, anonymous };

constexpr std::array all_principals{principal::owner,    principal::assignee,  principal::other,    principal::admin,
                                    principal::read_key, principal::write_key, principal::anonymous};

const char* name_of(principal p) {
  switch (p) {
    case principal::owner:
      return "the task's owner";
    case principal::assignee:
      return "the task's assignee";
    case principal::other:
      return "another user";
    case principal::admin:
      return "an admin";
    case principal::read_key:
      return "the owner's tasks:read key";
    case principal::write_key:
      return "the owner's tasks:write key";
    case principal::anonymous:
      return "anonymous";
  }
  return "?";
}

// What each principal must be answered, one row of the table.
struct statuses {
  int owner, assignee, other, admin, read_key, write_key, anonymous;

  int of(principal p) const {
    switch (p) {
      case principal::owner:
        return owner;
      case principal::assignee:
        return assignee;
      case principal::other:
        return other;
      case principal::admin:
        return admin;
      case principal::read_key:
        return read_key;
      case principal::write_key:
        return write_key;
      case principal::anonymous:
        return anonymous;
    }
    return 0;
  }
};

constexpr statuses everyone(int status) {
  return {status, status, status, status, status, status, status};
}

// Anything signed in gets `status`; anonymous 401.
constexpr statuses signed_in(int status) {
  return {status, status, status, status, status, status, 401};
}

// API.md, Admin: an admin's session; anonymous 401, every other principal 403.
constexpr statuses admins_only(int status) {
  return {403, 403, 403, status, 403, 403, 401};
}

constexpr auto user_password = "matrix passphrase";

struct call {
  std::string method;
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;
};

// A session of the user `email` and its id, as the test acts with it.
account new_session(http_client& c, const std::string& email, const std::string& password) {
  auto grant = sign_in(c, email, password);
  c.clear_default_header("Authorization");
  account who{"", grant["access_token"], grant.value("session_id", "")};
  auto me = c.get("/api/v1/users/me", who.auth());
  REQUIRE(me.status == 200);
  who.id = me.json()["id"];
  return who;
}

account registered(http_client& c, const std::string& email) {
  auto r = c.post_json("/api/v1/users", {{"email", email}, {"password", user_password}, {"display_name", email}});
  REQUIRE(r.status == 201);
  return new_session(c, email, user_password);
}

bool lists(const json& page, const std::string& id) {
  for (const auto& item : page["items"])
    if (item["id"] == id)
      return true;
  return false;
}

// One node and the objects every row asks about: a task of the owner's
// assigned to the assignee, a notification and a webhook of the owner's, and
// an OAuth client. Rate limits are off: the table signs in far more often
// than a client would, and limits have tests of their own.
struct world {
  server_process server{{"--rate-limit-auth", "0", "--rate-limit-ip", "0", "--webhook-allow-private"}};
  http_client c{server.port()};
  account owner = registered(c, "owner@authz.test");
  account assignee = registered(c, "assignee@authz.test");
  account other = registered(c, "other@authz.test");
  account admin = new_session(c, test_admin_email, test_admin_password);
  std::string read_key = new_key("tasks:read")["key"];
  std::string write_key = new_key("tasks:write")["key"];
  std::string task_id = new_task();
  std::string notification_id = owners_notification();
  std::string webhook_id = new_webhook();
  json oauth_client = new_oauth_client();
  int serial = 0;

  world() {
    // Lists come from the read model, which trails writes: only once the
    // task shows in the admin's list does its absence from another's mean anything.
    REQUIRE(eventually([&] { return lists(c.get("/api/v1/tasks?page_size=200", admin.auth()).json(), task_id); }, 5s));
  }

  std::string new_task() {
    auto r = c.post_json("/api/v1/tasks", {{"title", "matrix"}, {"assignee_id", assignee.id}}, owner.auth());
    REQUIRE(r.status == 201);
    return r.json()["id"];
  }

  // A trace the node keeps: a request whose traceparent asks for sampling.
  std::string sampled_trace() {
    static std::mt19937_64 random{std::random_device{}()};
    std::string trace;
    for (int i = 0; i < 32; ++i)
      trace += "0123456789abcdef"[random() % 16];
    auto headers = owner.auth();
    headers["traceparent"] = "00-" + trace + "-00f067aa0ba902b7-01";
    REQUIRE(c.post_json("/api/v1/tasks", {{"title", "traced"}}, headers).status == 201);
    return trace;
  }

  json new_key(const std::string& scope) {
    auto r = c.post_json("/api/v1/api-keys", {{"name", scope}, {"scopes", {scope}}}, owner.auth());
    REQUIRE(r.status == 201);
    return r.json();
  }

  // The owner is notified when the assignee gives them a task.
  std::string owners_notification() {
    auto r = c.post_json("/api/v1/tasks", {{"title", "for the owner"}, {"assignee_id", owner.id}}, assignee.auth());
    REQUIRE(r.status == 201);
    json page;
    REQUIRE(eventually(
        [&] {
          page = c.get("/api/v1/notifications", owner.auth()).json();
          return !page["items"].empty();
        },
        5s));
    return page["items"][0]["id"];
  }

  // An event nothing in this test raises, so the hook never sends a request.
  std::string new_webhook() {
    auto r = c.post_json("/api/v1/webhooks", {{"url", "http://127.0.0.1:9/matrix"}, {"events", {"task.overdue"}}},
                         owner.auth());
    REQUIRE(r.status == 201);
    return r.json()["id"];
  }

  json new_oauth_client() {
    auto r = c.post_json("/api/v1/oauth-clients", {{"name", "matrix"}, {"scopes", {"tasks:read"}}}, admin.auth());
    REQUIRE(r.status == 201);
    return r.json();
  }

  std::map<std::string, std::string> credentials(principal p) const {
    switch (p) {
      case principal::owner:
        return owner.auth();
      case principal::assignee:
        return assignee.auth();
      case principal::other:
        return other.auth();
      case principal::admin:
        return admin.auth();
      case principal::read_key:
        return {{"Authorization", "ApiKey " + read_key}};
      case principal::write_key:
        return {{"X-API-Key", write_key}};
      case principal::anonymous:
        return {};
    }
    return {};
  }

  // Whom the principal acts as: a key acts as its user.
  std::string user_id(principal p) const {
    switch (p) {
      case principal::owner:
      case principal::read_key:
      case principal::write_key:
        return owner.id;
      case principal::assignee:
        return assignee.id;
      case principal::other:
        return other.id;
      case principal::admin:
        return admin.id;
      case principal::anonymous:
        return {};
    }
    return {};
  }

  // A session of its own for a user principal, so that ending it leaves the
  // table's sessions alive.
  std::map<std::string, std::string> spare_session(principal p) {
    switch (p) {
      case principal::owner:
        return new_session(c, "owner@authz.test", user_password).auth();
      case principal::assignee:
        return new_session(c, "assignee@authz.test", user_password).auth();
      case principal::other:
        return new_session(c, "other@authz.test", user_password).auth();
      case principal::admin:
        return new_session(c, test_admin_email, test_admin_password).auth();
      default:
        return {};
    }
  }

  std::string oauth_form() const {
    return "grant_type=client_credentials&client_id=" + oauth_client["client_id"].get<std::string>() +
           "&client_secret=" + oauth_client["client_secret"].get<std::string>();
  }

  std::string refresh_token() {
    auto grant = sign_in(c, "other@authz.test", user_password);
    c.clear_default_header("Authorization");
    return grant["refresh_token"];
  }
};

using make_call = std::function<call(world&, principal)>;
using check_answer = std::function<void(const world&, principal, const http_result&)>;

struct route_case {
  std::string route;  // as API.md names it
  statuses expected;
  make_call make;
  check_answer also = nullptr;  // what a 2xx answer must show besides its status
  bool stream = false;          // Server-Sent Events: only the head is read
};

make_call fixed(std::string method, std::string target, std::string body = {}) {
  return [=](world&, principal) { return call{method, target, body, {}}; };
}

// The list holds the owner's object `id` for exactly the principals in `seers`.
check_answer listed_for(std::string world::*id, std::set<principal> seers) {
  return [id, seers = std::move(seers)](const world& w, principal p, const http_result& r) {
    CHECK(lists(r.json(), w.*id) == seers.contains(p));
  };
}

const std::string patch_body = R"({"title": "renamed"})";

call patch_of(const std::string& target) {
  return {"PATCH", target, patch_body, {{"Content-Type", "application/merge-patch+json"}, {"If-Match", "\"1\""}}};
}

// v1, v2 and the unversioned path (which resolves to v2) answer alike. A
// task is visible to its owner, its assignee and admins, and to nobody else
// it exists (404); reads need tasks:read, writes tasks:write; only the owner
// or an admin deletes (the assignee sees it, so 403 rather than 404). A
// list filtered by the assignee is still only the caller's to see.
void add_task_routes(std::vector<route_case>& rows, const std::string& tasks, const std::string& page_all,
                     const std::string& assignee_filter) {
  const std::set<principal> seers{principal::owner, principal::assignee, principal::admin, principal::read_key};
  rows.push_back({"POST " + tasks, {201, 201, 201, 201, 403, 201, 401}, fixed("POST", tasks, R"({"title": "new"})")});
  rows.push_back({"GET " + tasks,
                  {200, 200, 200, 200, 200, 403, 401},
                  fixed("GET", tasks + page_all),
                  listed_for(&world::task_id, seers)});
  rows.push_back({"GET " + tasks + "?" + assignee_filter + "=",
                  {200, 200, 200, 200, 200, 403, 401},
                  [=](world& w, principal) {
                    return call{"GET", tasks + page_all + "&" + assignee_filter + "=" + w.assignee.id, {}, {}};
                  },
                  listed_for(&world::task_id, seers)});
  rows.push_back({"GET " + tasks + "/{id}", {200, 200, 404, 200, 200, 403, 401}, [tasks](world& w, principal) {
                    return call{"GET", tasks + "/" + w.task_id, {}, {}};
                  }});
  rows.push_back({"PATCH " + tasks + "/{id}", {200, 200, 404, 200, 403, 200, 401}, [tasks](world& w, principal) {
                    return patch_of(tasks + "/" + w.new_task());
                  }});
  rows.push_back({"DELETE " + tasks + "/{id}", {204, 403, 404, 204, 403, 204, 401}, [tasks](world& w, principal) {
                    return call{"DELETE", tasks + "/" + w.new_task(), {}, {}};
                  }});
}

// Identity (API.md): creating a user, a session or a refresh is open to
// anyone; the rest needs a credential. Only a session manages API keys
// (docs/security.md), so a key is 403 there; sign-out ends a session, which
// a key does not have (404, as the OpenAPI document says); a key of another
// user is as absent as a task (404); only an admin registers OAuth clients;
// the token endpoint authenticates the client from the form alone.
void add_identity_routes(std::vector<route_case>& rows) {
  rows.push_back({"POST /api/v1/users", everyone(201), [](world& w, principal) {
                    auto email = "new" + std::to_string(++w.serial) + "@authz.test";
                    json body{{"email", email}, {"password", user_password}, {"display_name", "new"}};
                    return call{"POST", "/api/v1/users", body.dump(), {}};
                  }});
  rows.push_back({"POST /api/v1/sessions", everyone(201), [](world&, principal) {
                    json body{{"email", "other@authz.test"}, {"password", user_password}};
                    return call{"POST", "/api/v1/sessions", body.dump(), {}};
                  }});
  rows.push_back(
      {"POST /api/v1/sessions/refresh", everyone(200), [](world& w, principal) {
         return call{"POST", "/api/v1/sessions/refresh", json{{"refresh_token", w.refresh_token()}}.dump(), {}};
       }});
  rows.push_back({"DELETE /api/v1/sessions/current", {204, 204, 204, 204, 404, 404, 401}, [](world& w, principal p) {
                    return call{"DELETE", "/api/v1/sessions/current", {}, w.spare_session(p)};
                  }});
  rows.push_back({"GET /api/v1/users/me", signed_in(200), fixed("GET", "/api/v1/users/me"),
                  [](const world& w, principal p, const http_result& r) { CHECK(r.json()["id"] == w.user_id(p)); }});
  rows.push_back({"POST /api/v1/api-keys",
                  {201, 201, 201, 201, 403, 403, 401},
                  fixed("POST", "/api/v1/api-keys", R"({"name": "more", "scopes": ["tasks:read"]})")});
  rows.push_back(
      {"DELETE /api/v1/api-keys/{id}", {204, 404, 404, 404, 403, 403, 401}, [](world& w, principal) {
         return call{"DELETE", "/api/v1/api-keys/" + w.new_key("tasks:read")["id"].get<std::string>(), {}, {}};
       }});
  rows.push_back({"POST /api/v1/oauth-clients", admins_only(201),
                  fixed("POST", "/api/v1/oauth-clients", R"({"name": "more", "scopes": ["tasks:read"]})")});
  rows.push_back(
      {"POST /oauth/token", everyone(200), [](world& w, principal) {
         return call{"POST", "/oauth/token", w.oauth_form(), {{"Content-Type", "application/x-www-form-urlencoded"}}};
       }});
  rows.push_back({"GET /.well-known/jwks.json", everyone(200), fixed("GET", "/.well-known/jwks.json")});
}

// Notifications, webhooks and delivery logs belong to one user: not even an
// admin reaches another's through these routes. The feed and its stream are
// reads of task news and need tasks:read (the OpenAPI document's 403); so do
// the webhook routes, which deliver the same news elsewhere.
void add_notification_routes(std::vector<route_case>& rows) {
  rows.push_back({"GET /api/v1/notifications",
                  {200, 200, 200, 200, 200, 403, 401},
                  fixed("GET", "/api/v1/notifications"),
                  listed_for(&world::notification_id, {principal::owner, principal::read_key})});
  rows.push_back({"POST /api/v1/notifications/{id}/read", {204, 404, 404, 404, 204, 403, 401}, [](world& w, principal) {
                    return call{"POST", "/api/v1/notifications/" + w.notification_id + "/read", {}, {}};
                  }});
  rows.push_back(
      {"GET /api/v1/events", {200, 200, 200, 200, 200, 403, 401}, fixed("GET", "/api/v1/events"), nullptr, true});
  rows.push_back(
      {"POST /api/v1/webhooks",
       {201, 201, 201, 201, 201, 403, 401},
       fixed("POST", "/api/v1/webhooks", R"({"url": "http://127.0.0.1:9/more", "events": ["task.overdue"]})")});
  rows.push_back({"GET /api/v1/webhooks",
                  {200, 200, 200, 200, 200, 403, 401},
                  fixed("GET", "/api/v1/webhooks"),
                  listed_for(&world::webhook_id, {principal::owner, principal::read_key})});
  rows.push_back({"DELETE /api/v1/webhooks/{id}", {204, 404, 404, 404, 204, 403, 401}, [](world& w, principal) {
                    return call{"DELETE", "/api/v1/webhooks/" + w.new_webhook(), {}, {}};
                  }});
  rows.push_back({"GET /api/v1/webhooks/{id}/deliveries", {200, 404, 404, 404, 200, 403, 401}, [](world& w, principal) {
                    return call{"GET", "/api/v1/webhooks/" + w.webhook_id + "/deliveries", {}, {}};
                  }});
}

void add_admin_routes(std::vector<route_case>& rows) {
  for (const auto* path : {"/admin/api/cluster", "/admin/api/shards", "/admin/api/actors", "/admin/api/webhooks",
                           "/admin/api/metrics/history", "/admin/api/traces"})
    rows.push_back({std::string{"GET "} + path, admins_only(200), fixed("GET", path)});
  rows.push_back({"GET /admin/api/actors/{type}/{id}", admins_only(200), [](world& w, principal) {
                    return call{"GET", "/admin/api/actors/task/" + w.task_id, {}, {}};
                  }});
  // A task just written is resident, so the admin's passivation finds it.
  rows.push_back({"POST /admin/api/actors/{type}/{id}/passivate", admins_only(204), [](world& w, principal) {
                    return call{"POST", "/admin/api/actors/task/" + w.new_task() + "/passivate", {}, {}};
                  }});
  rows.push_back({"GET /admin/api/traces/{trace_id}", admins_only(200), [](world& w, principal) {
                    return call{"GET", "/admin/api/traces/" + w.sampled_trace(), {}, {}};
                  }});
  rows.push_back({"GET /admin/api/webhooks/{id}/deliveries", admins_only(200), [](world& w, principal) {
                    return call{"GET", "/admin/api/webhooks/" + w.webhook_id + "/deliveries", {}, {}};
                  }});
  rows.push_back({"GET /admin/api/stream", admins_only(200), fixed("GET", "/admin/api/stream"), nullptr, true});
}

// Probes, documents and pages. The console's page is the admin role's as
// API.md has it (its 401 and 403 carry the page itself, which is how a
// browser, sending no token, signs in); its assets are public.
void add_public_routes(std::vector<route_case>& rows) {
  for (const auto* page : {"/admin", "/admin/"})
    rows.push_back({std::string{"GET "} + page, admins_only(200), fixed("GET", page)});
  const std::vector<std::pair<std::string, std::string>> pages{
      {"/", "/"},
      {"/healthz", "/healthz"},
      {"/readyz", "/readyz"},
      {"/metrics", "/metrics"},
      {"/api/v1/openapi.json", "/api/v1/openapi.json"},
      {"/api/v2/openapi.json", "/api/v2/openapi.json"},
      {"/api/openapi.json", "/api/openapi.json"},
      {"/admin/assets/{name}", "/admin/assets/app.js"},
      {"/swagger", "/swagger"},
      {"/swagger/", "/swagger/"},
      {"/docs", "/docs"},
      {"/swagger/assets/{name}", "/swagger/assets/reference.js"},
  };
  for (const auto& [route, target] : pages)
    rows.push_back({"GET " + route, everyone(200), fixed("GET", target)});
}

std::vector<route_case> every_route() {
  std::vector<route_case> rows;
  add_task_routes(rows, "/api/v1/tasks", "?page_size=200", "assignee_id");
  add_task_routes(rows, "/api/v2/tasks", "?limit=200", "assignee");
  add_task_routes(rows, "/api/tasks", "?limit=200", "assignee");
  add_identity_routes(rows);
  add_notification_routes(rows);
  add_admin_routes(rows);
  add_public_routes(rows);
  return rows;
}

// The principal's credentials go with every call that does not bring its own.
call with_credentials(call request, const world& w, principal p) {
  request.headers.merge(w.credentials(p));
  if (!request.body.empty())
    request.headers.emplace("Content-Type", "application/json");
  return request;
}

// The status and header fields of an answer's head as it came over the wire.
http_result head_of(const std::string& wire, int status) {
  http_result head{status, {}, {}};
  auto end = wire.find("\r\n\r\n");
  std::size_t at = wire.find("\r\n");
  while (at != std::string::npos && at < end) {
    auto next = wire.find("\r\n", at + 2);
    auto line = wire.substr(at + 2, next - at - 2);
    if (auto colon = line.find(':'); colon != std::string::npos) {
      auto name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      auto value = line.find_first_not_of(' ', colon + 1);
      head.headers[name] = value == std::string::npos ? std::string{} : line.substr(value);
    }
    at = next;
  }
  return head;
}

// A stream's answer is its head: the body of a 200 never ends.
http_result answer_of(world& w, const call& request, bool stream) {
  if (!stream)
    return w.c.request(request.method, request.target, request.body, request.headers);
  event_stream events{w.server.port(), request.target, request.headers};
  auto status = events.status();
  return head_of(events.wire(), status);
}

}  // namespace

TEST_CASE("authorization matrix: every route answers each principal as the contract says", "[e2e][authorization]") {
  world w;
  const auto rows = every_route();
  // The table keeps up with the node: each operation either version's OpenAPI
  // document lists (and a unit test holds every served route to be listed) has a row.
  std::set<std::string> covered;
  for (const auto& row : rows)
    covered.insert(row.route);
  for (const auto* document : {"/api/v1/openapi.json", "/api/v2/openapi.json"}) {
    const auto paths = w.c.get(document).json()["paths"];
    for (const auto& [path, operations] : paths.items())
      for (const auto& [method, operation] : operations.items()) {
        if (method == "parameters")
          continue;
        auto route = method + " " + path;
        std::transform(route.begin(), route.begin() + static_cast<std::ptrdiff_t>(method.size()), route.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
        INFO(document << " lists " << route);
        CHECK(covered.contains(route));
      }
  }

  for (const auto& row : rows)
    for (auto p : all_principals) {
      INFO(row.route << " as " << name_of(p));
      auto request = with_credentials(row.make(w, p), w, p);
      auto answer = answer_of(w, request, row.stream);
      INFO(request.method << " " << request.target << " answered " << answer.status << " " << answer.body);
      CHECK(answer.status == row.expected.of(p));
      if (answer.status == 401)
        CHECK_FALSE(answer.header("www-authenticate").empty());
      // The console's refusals are its page (add_public_routes); every other
      // refusal is problem details.
      bool console_page = row.route == "GET /admin" || row.route == "GET /admin/";
      if (answer.status >= 400 && console_page)
        CHECK(answer.header("content-type") == "text/html; charset=utf-8");
      else if (answer.status >= 400)
        CHECK(answer.header("content-type") == "application/problem+json");
      if (answer.status == row.expected.of(p) && answer.status < 300 && row.also)
        row.also(w, p, answer);
    }
}

TEST_CASE("authorization matrix: another user's object answers exactly as one that does not exist",
          "[e2e][authorization]") {
  world w;
  const std::string nobody = "01a20f1d-e9b0-73d9-98cf-00000000abcd";
  // Each route with an object of the owner's in it, and the same route with an id nobody has.
  auto forms = [&](const std::string& id) {
    return std::vector<call>{
        {"GET", "/api/v1/tasks/" + id, {}, {}},
        {"GET", "/api/v2/tasks/" + id, {}, {}},
        patch_of("/api/v1/tasks/" + id),
        patch_of("/api/v2/tasks/" + id),
        // Without If-Match the 428 would name the current ETag: a stranger must get 404 first.
        {"PATCH", "/api/v1/tasks/" + id, patch_body, {{"Content-Type", "application/merge-patch+json"}}},
        // A stale version must not tell a stranger that the task exists (412).
        {"DELETE", "/api/v1/tasks/" + id, {}, {{"If-Match", "\"7\""}}},
        {"DELETE", "/api/v2/tasks/" + id, {}, {}},
    };
  };
  auto owners = forms(w.task_id);
  auto nobodys = forms(nobody);
  owners.push_back({"POST", "/api/v1/notifications/" + w.notification_id + "/read", {}, {}});
  nobodys.push_back({"POST", "/api/v1/notifications/" + nobody + "/read", {}, {}});
  owners.push_back({"GET", "/api/v1/webhooks/" + w.webhook_id + "/deliveries", {}, {}});
  nobodys.push_back({"GET", "/api/v1/webhooks/" + nobody + "/deliveries", {}, {}});
  owners.push_back({"DELETE", "/api/v1/webhooks/" + w.webhook_id, {}, {}});
  nobodys.push_back({"DELETE", "/api/v1/webhooks/" + nobody, {}, {}});
  auto key_id = w.new_key("tasks:read")["id"].get<std::string>();
  owners.push_back({"DELETE", "/api/v1/api-keys/" + key_id, {}, {}});
  nobodys.push_back({"DELETE", "/api/v1/api-keys/" + nobody, {}, {}});

  for (std::size_t i = 0; i < owners.size(); ++i) {
    auto theirs = with_credentials(owners[i], w, principal::other);
    auto none = with_credentials(nobodys[i], w, principal::other);
    INFO(theirs.method << " " << theirs.target);
    auto a = answer_of(w, theirs, false);
    auto b = answer_of(w, none, false);
    INFO(a.body << " vs " << b.body);
    CHECK(a.status == 404);
    CHECK(a.status == b.status);
    for (const auto* field : {"type", "title", "status", "detail"})
      CHECK(a.json().value(field, json{}) == b.json().value(field, json{}));
    CHECK(a.header("etag").empty());
  }
  // The stranger changed nothing of the owner's.
  auto task = w.c.get("/api/v1/tasks/" + w.task_id, w.owner.auth());
  CHECK(task.status == 200);
  CHECK(task.json()["version"] == 1);
  CHECK(task.json()["title"] == "matrix");
  CHECK(w.c.get("/api/v1/webhooks/" + w.webhook_id + "/deliveries", w.owner.auth()).status == 200);
}
