// The Identity table of API.md through the running binary: registration,
// sessions, refresh rotation, logout, API keys, client credentials, and every
// way a credential must be refused.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <sys/stat.h>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"
#include "tests/e2e/support/token_forge.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

namespace {

json register_user(http_client& c, const std::string& email, const std::string& password = "long-enough-pw") {
  auto r = c.post_json("/api/v1/users", {{"email", email}, {"password", password}, {"display_name", "Someone"}});
  REQUIRE(r.status == 201);
  return r.json();
}

std::string bearer(const std::string& token) {
  return "Bearer " + token;
}

std::int64_t now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json claims(const std::string& subject) {
  return {{"sub", subject},        {"jti", "t-1"},         {"roles", {"user"}}, {"sid", "forged-session"},
          {"scope", "tasks:read"}, {"iat", now_s()},       {"nbf", now_s()},    {"exp", now_s() + 600},
          {"iss", "taskflow"},     {"aud", "taskflow-api"}};
}

}  // namespace

TEST_CASE("registration answers the user, refuses a taken email in any case and weak input", "[e2e][identity]") {
  server_process server;
  http_client c{server.port()};
  auto user = register_user(c, "Ada@Example.com");
  CHECK(user["email"] == "Ada@Example.com");
  CHECK(user["display_name"] == "Someone");
  CHECK(user["roles"] == json{"user"});
  CHECK(user["id"].get<std::string>().size() == 36);
  CHECK(user.contains("created_at"));
  CHECK_FALSE(user.contains("password"));

  auto taken = c.post_json("/api/v1/users",
                           {{"email", "ada@example.COM"}, {"password", "another-long-pw"}, {"display_name", "Other"}});
  CHECK(taken.status == 409);
  CHECK(taken.header("content-type") == "application/problem+json");

  auto weak = c.post_json("/api/v1/users", {{"email", "not-an-email"}, {"password", "short"}, {"display_name", ""}});
  REQUIRE(weak.status == 400);
  CHECK(weak.json()["errors"].size() == 3);

  // Nobody makes themselves an admin by asking.
  auto sneaky = c.post_json(
      "/api/v1/users",
      {{"email", "eve@example.com"}, {"password", "long-enough-pw"}, {"display_name", "Eve"}, {"roles", {"admin"}}});
  REQUIRE(sneaky.status == 201);
  CHECK(sneaky.json()["roles"] == json{"user"});
}

TEST_CASE("sign-in, me, refresh rotation and logout", "[e2e][identity]") {
  server_process server;
  http_client c{server.port()};
  auto user = register_user(c, "bob@example.com");

  auto bad = c.post_json("/api/v1/sessions", {{"email", "bob@example.com"}, {"password", "wrong-password"}});
  CHECK(bad.status == 401);
  CHECK_FALSE(bad.header("www-authenticate").empty());
  CHECK(c.post_json("/api/v1/sessions", {{"email", "nobody@example.com"}, {"password", "long-enough-pw"}}).status ==
        401);

  auto grant = sign_in(c, "BOB@example.com", "long-enough-pw");
  CHECK(grant["token_type"] == "Bearer");
  CHECK(grant["expires_in"] == 900);
  CHECK(grant["session_id"].is_string());
  CHECK(grant["refresh_token"].is_string());

  auto me = c.get("/api/v1/users/me");
  REQUIRE(me.status == 200);
  CHECK(me.json()["id"] == user["id"]);
  CHECK(me.json()["email"] == "bob@example.com");

  // Refresh: a new pair, and the old refresh token is spent.
  auto first_refresh = grant["refresh_token"].get<std::string>();
  auto refreshed = c.post_json("/api/v1/sessions/refresh", {{"refresh_token", first_refresh}});
  REQUIRE(refreshed.status == 200);
  auto second = refreshed.json();
  CHECK(second["refresh_token"] != first_refresh);
  CHECK(second["access_token"] != grant["access_token"]);
  CHECK(c.get("/api/v1/users/me", {{"Authorization", bearer(second["access_token"])}}).status == 200);

  // Logout ends the session: its access tokens are refused at once.
  auto out = c.request("DELETE", "/api/v1/sessions/current", {}, {{"Authorization", bearer(second["access_token"])}});
  CHECK(out.status == 204);
  auto after = c.get("/api/v1/users/me", {{"Authorization", bearer(second["access_token"])}});
  CHECK(after.status == 401);
  CHECK_FALSE(after.header("www-authenticate").empty());
  CHECK(c.get("/api/v1/users/me", {{"Authorization", bearer(grant["access_token"])}}).status == 401);
  CHECK(c.post_json("/api/v1/sessions/refresh", {{"refresh_token", second["refresh_token"]}}).status == 401);
}

TEST_CASE("a spent refresh token revokes the whole session", "[e2e][identity]") {
  server_process server;
  http_client c{server.port()};
  register_user(c, "carol@example.com");
  auto grant = sign_in(c, "carol@example.com", "long-enough-pw");
  auto stolen = grant["refresh_token"].get<std::string>();
  auto rotated = c.post_json("/api/v1/sessions/refresh", {{"refresh_token", stolen}});
  REQUIRE(rotated.status == 200);
  auto current = rotated.json();

  auto replay = c.post_json("/api/v1/sessions/refresh", {{"refresh_token", stolen}});
  CHECK(replay.status == 401);
  // Both the legitimate holder's tokens are dead now.
  CHECK(c.get("/api/v1/users/me", {{"Authorization", bearer(current["access_token"])}}).status == 401);
  CHECK(c.post_json("/api/v1/sessions/refresh", {{"refresh_token", current["refresh_token"]}}).status == 401);
  // A refresh token that was never issued is refused without revoking anything.
  CHECK(c.post_json("/api/v1/sessions/refresh", {{"refresh_token", "garbage"}}).status == 401);
}

TEST_CASE("forged, tampered, alg none, expired, early and mis-addressed tokens are refused", "[e2e][identity]") {
  auto dir = std::filesystem::temp_directory_path() / ("taskflow-forge-" + std::to_string(::getpid()));
  token_forge forge{dir};
  server_process server{{"--jwt-private-key-file", forge.key_file().string()}};
  http_client c{server.port()};
  auto user = register_user(c, "dave@example.com");
  auto id = user["id"].get<std::string>();
  auto me = [&](const std::string& token) { return c.get("/api/v1/users/me", {{"Authorization", bearer(token)}}); };

  // The control: a correctly signed token with good claims, naming a live
  // session of its subject, is accepted.
  auto session = sign_in(c, "dave@example.com", "long-enough-pw")["session_id"].get<std::string>();
  c.clear_default_header("Authorization");
  auto live = claims(id);
  live["sid"] = session;
  REQUIRE(me(forge.es256(live)).status == 200);
  // Signed as well, but naming a session nobody opened, or another user's:
  // a key thief cannot mint sessions.
  CHECK(me(forge.es256(claims(id))).status == 401);
  auto someone_elses = claims(register_user(c, "erin@example.com")["id"].get<std::string>());
  someone_elses["sid"] = session;
  CHECK(me(forge.es256(someone_elses)).status == 401);
  // Every case below is the control with one thing wrong.

  auto expired = json(live);
  expired["exp"] = now_s() - 3600;
  CHECK(me(forge.es256(expired)).status == 401);
  auto early = json(live);
  early["nbf"] = now_s() + 3600;
  CHECK(me(forge.es256(early)).status == 401);
  // Signed with a key the node trusts, but living longer than it ever issues
  // (the default 15 minutes): the year 3000, or no iat to measure from.
  auto forever = json(live);
  forever["exp"] = 32'503'680'000;
  CHECK(me(forge.es256(forever)).status == 401);
  auto ageless = json(live);
  ageless.erase("iat");
  CHECK(me(forge.es256(ageless)).status == 401);
  auto wrong_issuer = json(live);
  wrong_issuer["iss"] = "someone-else";
  CHECK(me(forge.es256(wrong_issuer)).status == 401);
  auto wrong_audience = json(live);
  wrong_audience["aud"] = "another-api";
  CHECK(me(forge.es256(wrong_audience)).status == 401);
  CHECK(me(forge.hs256_with_public_key(json(live))).status == 401);

  auto good = forge.es256(json(live));
  auto first_dot = good.find('.');
  auto second_dot = good.find('.', first_dot + 1);
  auto admin = json(live);
  admin["roles"] = {"user", "admin"};
  auto tampered = good.substr(0, first_dot + 1) + base64url_json(admin) + good.substr(second_dot);
  CHECK(me(tampered).status == 401);
  auto none = base64url_json({{"alg", "none"}, {"typ", "JWT"}}) + "." + base64url_json(json(live)) + ".";
  CHECK(me(none).status == 401);
  CHECK(me("not.a.token").status == 401);
  CHECK(me("").status == 401);

  // A token from another TaskFlow (another key) is a forgery here.
  server_process other;
  http_client o{other.port()};
  auto foreign = sign_in_as_admin(o);
  CHECK(me(foreign["access_token"]).status == 401);

  auto unknown_scheme = c.get("/api/v1/users/me", {{"Authorization", "Basic Zm9vOmJhcg=="}});
  CHECK(unknown_scheme.status == 401);
  CHECK(unknown_scheme.header("content-type") == "application/problem+json");
  std::filesystem::remove_all(dir);
}

TEST_CASE("API keys carry scopes, work in both headers and die when revoked", "[e2e][identity]") {
  server_process server;
  http_client c{server.port()};
  register_user(c, "erin@example.com");
  sign_in(c, "erin@example.com", "long-enough-pw");
  auto created = c.post_json("/api/v1/tasks", {{"title", "mine"}});
  REQUIRE(created.status == 201);
  auto task_id = created.json()["id"].get<std::string>();

  auto made = c.post_json("/api/v1/api-keys", {{"name", "ci reader"}, {"scopes", {"tasks:read"}}});
  REQUIRE(made.status == 201);
  auto key = made.json();
  CHECK(key["name"] == "ci reader");
  CHECK(key["scopes"] == json{"tasks:read"});
  CHECK(key["key"].get<std::string>().rfind(key["prefix"].get<std::string>(), 0) == 0);
  auto secret = key["key"].get<std::string>();

  http_client k{server.port()};
  CHECK(k.get("/api/v1/tasks/" + task_id, {{"Authorization", "ApiKey " + secret}}).status == 200);
  CHECK(k.get("/api/v1/tasks/" + task_id, {{"X-API-Key", secret}}).status == 200);
  auto write = k.post_json("/api/v1/tasks", {{"title", "nope"}}, {{"X-API-Key", secret}});
  CHECK(write.status == 403);
  CHECK(write.header("www-authenticate").find("insufficient_scope") != std::string::npos);
  // A key cannot mint keys, not even for itself.
  CHECK(k.post_json("/api/v1/api-keys", {{"name", "x"}, {"scopes", {"tasks:write"}}}, {{"X-API-Key", secret}}).status ==
        403);
  CHECK(c.post_json("/api/v1/api-keys", {{"name", "bad"}, {"scopes", {"admin:all"}}}).status == 400);
  CHECK(c.post_json("/api/v1/api-keys", {{"name", std::string(101, 'n')}, {"scopes", {"tasks:read"}}}).status == 400);
  CHECK(c.post_json("/api/v1/api-keys", {{"name", std::string(100, 'n')}, {"scopes", {"tasks:read"}}}).status == 201);

  CHECK(c.request("DELETE", "/api/v1/api-keys/" + key["id"].get<std::string>()).status == 204);
  CHECK(k.get("/api/v1/tasks/" + task_id, {{"X-API-Key", secret}}).status == 401);
  CHECK(c.request("DELETE", "/api/v1/api-keys/" + key["id"].get<std::string>()).status == 404);
  CHECK(k.get("/api/v1/tasks", {{"X-API-Key", "tfk_made_up"}}).status == 401);
}

TEST_CASE("tasks are private to owner, assignee and admins", "[e2e][identity]") {
  server_process server;
  http_client owner{server.port()};
  http_client stranger{server.port()};
  http_client admin{server.port()};
  register_user(owner, "frank@example.com");
  register_user(stranger, "grace@example.com");
  sign_in(owner, "frank@example.com", "long-enough-pw");
  sign_in(stranger, "grace@example.com", "long-enough-pw");
  sign_in_as_admin(admin);

  auto task = owner.post_json("/api/v1/tasks", {{"title", "private"}}).json();
  auto path = "/api/v1/tasks/" + task["id"].get<std::string>();
  CHECK(owner.get(path).status == 200);
  CHECK(stranger.get(path).status == 404);
  CHECK(stranger.request("DELETE", path).status == 404);
  CHECK(admin.get(path).status == 200);
}

TEST_CASE("client credentials: an admin registers a client, the client gets a token", "[e2e][identity]") {
  server_process server;
  http_client admin{server.port()};
  sign_in_as_admin(admin);
  auto made = admin.post_json("/api/v1/oauth-clients", {{"name", "reporting"}, {"scopes", {"tasks:read"}}});
  REQUIRE(made.status == 201);
  auto client = made.json();

  http_client c{server.port()};
  auto form = "grant_type=client_credentials&client_id=" + client["client_id"].get<std::string>() +
              "&client_secret=" + client["client_secret"].get<std::string>();
  auto token = c.request("POST", "/oauth/token", form, {{"Content-Type", "application/x-www-form-urlencoded"}});
  REQUIRE(token.status == 200);
  auto grant = token.json();
  CHECK(grant["token_type"] == "Bearer");
  CHECK(grant["expires_in"] == 900);
  CHECK(grant["scope"] == "tasks:read");
  CHECK(c.get("/api/v1/tasks", {{"Authorization", bearer(grant["access_token"])}}).status == 200);
  CHECK(c.post_json("/api/v1/tasks", {{"title", "x"}}, {{"Authorization", bearer(grant["access_token"])}}).status ==
        403);

  auto wrong = c.request(
      "POST", "/oauth/token",
      "grant_type=client_credentials&client_id=" + client["client_id"].get<std::string>() + "&client_secret=wrong",
      {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(wrong.status == 401);
  CHECK(wrong.json()["error"] == "invalid_client");

  // client_secret_basic: the guard leaves this Authorization header to the endpoint.
  auto basic =
      "Basic " + base64(client["client_id"].get<std::string>() + ":" + client["client_secret"].get<std::string>());
  auto by_basic = c.request("POST", "/oauth/token", "grant_type=client_credentials",
                            {{"Content-Type", "application/x-www-form-urlencoded"}, {"Authorization", basic}});
  CHECK(by_basic.status == 200);
  CHECK(by_basic.json()["token_type"] == "Bearer");
  auto grant_type =
      c.request("POST", "/oauth/token", "grant_type=password", {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(grant_type.status == 400);
  CHECK(grant_type.json()["error"] == "unsupported_grant_type");

  http_client user{server.port()};
  register_user(user, "heidi@example.com");
  sign_in(user, "heidi@example.com", "long-enough-pw");
  CHECK(user.post_json("/api/v1/oauth-clients", {{"name", "x"}, {"scopes", {"tasks:read"}}}).status == 403);
  CHECK(c.get("/.well-known/jwks.json").json()["keys"][0]["alg"] == "ES256");
}

TEST_CASE("rate limits answer 429 with Retry-After and RateLimit headers", "[e2e][identity]") {
  server_process server{{"--rate-limit-principal", "1/3"}};
  http_client c{server.port()};
  sign_in_as_admin(c);
  int limited = 0;
  http_result last;
  for (int i = 0; i < 10 && limited == 0; ++i) {
    last = c.get("/api/v1/users/me");
    if (last.status == 429)
      ++limited;
  }
  REQUIRE(limited == 1);
  CHECK(std::stoi(last.header("retry-after")) >= 1);
  CHECK(last.header("ratelimit-limit") == "3");
  CHECK(last.header("ratelimit-remaining") == "0");

  // Password guessing runs out long before the general budget does.
  http_client guesser{server.port()};
  int guesses = 0;
  http_result answer;
  do {
    answer = guesser.post_json("/api/v1/sessions",
                               {{"email", test_admin_email}, {"password", "guess-" + std::to_string(guesses)}});
    ++guesses;
  } while (answer.status == 401 && guesses < 50);
  CHECK(answer.status == 429);
  CHECK(guesses <= 11);
  CHECK_FALSE(answer.header("retry-after").empty());
  // The figures are the failed sign-in bucket's (burst 10), not the address's.
  CHECK(answer.header("ratelimit-limit") == "10");
  CHECK(answer.header("ratelimit-remaining") == "0");
}

TEST_CASE("passwords, tokens and keys never reach the log", "[e2e][identity]") {
  server_process server;
  http_client c{server.port()};
  register_user(c, "ivan@example.com", "secret-password-123");
  auto grant = sign_in(c, "ivan@example.com", "secret-password-123");
  auto key = c.post_json("/api/v1/api-keys", {{"name", "k"}, {"scopes", {"tasks:read"}}}).json()["key"];
  c.get("/api/v1/tasks", {{"X-API-Key", key}});
  c.post_json("/api/v1/sessions/refresh", {{"refresh_token", grant["refresh_token"]}});
  c.post_json("/api/v1/sessions", {{"email", "ivan@example.com"}, {"password", "wrong-password-456"}});
  server.terminate();

  auto log = server.log();
  REQUIRE(log.find("http_request") != std::string::npos);
  for (const auto& secret :
       {std::string{"secret-password-123"}, std::string{"wrong-password-456"}, std::string{test_admin_password},
        grant["access_token"].get<std::string>(), grant["refresh_token"].get<std::string>(), key.get<std::string>()})
    CHECK(log.find(secret) == std::string::npos);
}

TEST_CASE("the data directory and the store's files are the service user's alone, whatever the umask",
          "[e2e][identity]") {
  // The usual umask would leave new files readable by every local user, and
  // the store holds the token signing key and password hashes.
  auto previous = ::umask(022);
  server_process server;
  ::umask(previous);
  {
    http_client c{server.port()};
    sign_in_as_admin(c);
    REQUIRE(c.post_json("/api/v1/tasks", {{"title", "written to the store"}}).status == 201);
  }
  namespace fs = std::filesystem;
  auto others = fs::perms::group_all | fs::perms::others_all;
  CHECK((fs::status(server.data_dir()).permissions() & others) == fs::perms::none);
  int files = 0;
  for (const auto& entry : fs::directory_iterator(server.data_dir())) {
    if (entry.path().filename().string().rfind("taskflow.db", 0) != 0)
      continue;
    INFO(entry.path());
    CHECK((entry.status().permissions() & others) == fs::perms::none);
    ++files;
  }
  CHECK(files >= 2);  // the database and its write-ahead log
}

TEST_CASE("strangers at your address cannot lock you out: a device token keeps its own failure budget",
          "[e2e][identity]") {
  server_process server;
  http_client c{server.port()};
  register_user(c, "ivan@example.com", "ivans-right-password");
  register_user(c, "judy@example.com", "judys-right-password");
  auto attempt = [&](const std::string& email, const std::string& password, const json& device = nullptr) {
    json body{{"email", email}, {"password", password}};
    if (!device.is_null())
      body["device_token"] = device;
    c.clear_default_header("Authorization");
    return c.post_json("/api/v1/sessions", body);
  };
  auto first = attempt("ivan@example.com", "ivans-right-password");
  REQUIRE(first.status == 201);
  auto ivans_device = first.json()["device_token"];
  REQUIRE(ivans_device.is_string());
  auto judys_device = attempt("judy@example.com", "judys-right-password").json()["device_token"];

  // Someone else behind the same address (here, the same loopback) guesses.
  int guesses = 0;
  while (attempt("ivan@example.com", "guess-" + std::to_string(guesses)).status == 401 && guesses < 30)
    ++guesses;
  CHECK(guesses == 10);
  // A new device shares the address's budget...
  CHECK(attempt("ivan@example.com", "ivans-right-password").status == 429);
  // ... so do a token for someone else's account and a made-up one ...
  CHECK(attempt("ivan@example.com", "ivans-right-password", judys_device).status == 429);
  CHECK(attempt("ivan@example.com", "ivans-right-password", "not-a-device-token").status == 429);
  // ... but Ivan's own device signs in, and keeps its device across sign-ins.
  auto again = attempt("ivan@example.com", "ivans-right-password", ivans_device);
  REQUIRE(again.status == 201);
  auto renewed = again.json()["device_token"];
  CHECK(attempt("ivan@example.com", "ivans-right-password", renewed).status == 201);

  // A device is still a guesser's ten tries, no more.
  int device_guesses = 0;
  while (attempt("ivan@example.com", "guess-" + std::to_string(device_guesses), renewed).status == 401 &&
         device_guesses < 30)
    ++device_guesses;
  CHECK(device_guesses == 10);
  CHECK(attempt("ivan@example.com", "ivans-right-password", renewed).status == 429);
  // A device_token that is not a string is a client's mistake.
  CHECK(attempt("judy@example.com", "judys-right-password", 42).status == 400);
}
