// taskflowctl against the real binary: every command, tables and --json,
// login and its kept session, and every exit status (0 ok, 1 unreachable,
// 2 usage, 3 unauthenticated or not an admin, 4 no such actor).
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/e2e/support/command.hpp"
#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

namespace {

// A credentials file of this test process's own, which may not exist: never
// the session a person keeps in their home directory.
std::filesystem::path private_credentials() {
  return std::filesystem::temp_directory_path() / ("taskflowctl-e2e-" + std::to_string(::getpid())) /
         "credentials.json";
}

// Runs taskflowctl with `args` and `env` on top of a clean environment.
command_result ctl_with(const std::vector<std::string>& args, std::map<std::string, std::string> env) {
  std::vector<std::string> argv{TASKFLOWCTL_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  env.emplace("TASKFLOW_CREDENTIALS", private_credentials().string());
  return run_command(argv, env, {"TASKFLOW_TOKEN", "TASKFLOW_URL", "TASKFLOW_EMAIL", "TASKFLOW_PASSWORD"});
}

// Runs taskflowctl with `args`; `token` goes in through TASKFLOW_TOKEN when set.
command_result ctl(const std::vector<std::string>& args, const std::string& token = {}) {
  std::map<std::string, std::string> env;
  if (!token.empty())
    env["TASKFLOW_TOKEN"] = token;
  return ctl_with(args, env);
}

std::string saved_refresh_token() {
  std::ifstream in{private_credentials()};
  return json::parse(in).at("refresh_token").get<std::string>();
}

std::string url_of(const server_process& server) {
  return "http://127.0.0.1:" + std::to_string(server.port());
}

// A loopback port nothing listens on: bound, then closed.
std::uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

TEST_CASE("taskflowctl: --help, and usage errors exit 2 without a request", "[e2e][taskflowctl]") {
  auto help = ctl({"--help"});
  CHECK(help.status == 0);
  CHECK(help.out.find("usage: taskflowctl") != std::string::npos);
  CHECK(help.out.find("actors passivate TYPE ID") != std::string::npos);

  for (const auto& args : std::vector<std::vector<std::string>>{{},
                                                                {"cluster"},
                                                                {"cluster", "status", "extra"},
                                                                {"actors", "show", "task"},
                                                                {"actors", "list", "--limit", "0"},
                                                                {"actors", "list", "--type", "robot"},
                                                                {"cluster", "status", "--prefix", "ab"},
                                                                {"--frobnicate", "cluster", "status"},
                                                                {"--url", "https://127.0.0.1:1", "cluster", "status"},
                                                                {"--token"},
                                                                {"actors", "show", "widget", "x"},
                                                                {"actors", "passivate", "Task", "x"}}) {
    auto r = ctl(args);
    INFO(r.err);
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find("taskflowctl: ") == 0);
  }
}

TEST_CASE("taskflowctl --version and taskflow --version print the version", "[e2e][taskflowctl]") {
  auto ctl_version = ctl({"--version"});
  CHECK(ctl_version.status == 0);
  CHECK(ctl_version.out.rfind("taskflowctl ", 0) == 0);
  auto server_version = run_command({TASKFLOW_BINARY_FOR_TESTS, "--version"}, {}, {});
  CHECK(server_version.status == 0);
  CHECK(server_version.out.rfind("taskflow ", 0) == 0);
  // Both name the same build.
  CHECK(ctl_version.out.substr(std::string{"taskflowctl "}.size()) ==
        server_version.out.substr(std::string{"taskflow "}.size()));
}

TEST_CASE("taskflowctl login keeps a private session, refreshes its token and logout ends it", "[e2e][taskflowctl]") {
  // Access tokens live 10 s (the shortest the server takes); the CLI
  // refreshes one 5 s before it expires.
  server_process server{{"--access-token-ttl-s", "10"}};
  auto url = url_of(server);
  auto file = private_credentials();
  std::filesystem::remove_all(file.parent_path());

  auto wrong = ctl_with({"--url", url, "login", "--email", test_admin_email}, {{"TASKFLOW_PASSWORD", "not-it"}});
  CHECK(wrong.status == 3);
  CHECK_FALSE(std::filesystem::exists(file));

  auto login =
      ctl_with({"--url", url, "login", "--email", test_admin_email}, {{"TASKFLOW_PASSWORD", test_admin_password}});
  INFO(login.err);
  REQUIRE(login.status == 0);
  CHECK(login.out.find("signed in as " + std::string{test_admin_email}) != std::string::npos);
  REQUIRE(std::filesystem::exists(file));
  using std::filesystem::perms;
  CHECK((std::filesystem::status(file).permissions() & perms::all) == (perms::owner_read | perms::owner_write));
  auto first = saved_refresh_token();

  CHECK(ctl({"--url", url, "actors", "list"}).status == 0);
  CHECK(saved_refresh_token() == first);  // a fresh token is used as it is

  // Waits out the token's life: what is tested is the passage of time.
  std::this_thread::sleep_for(std::chrono::seconds{6});
  auto later = ctl({"--url", url, "cluster", "status"});
  INFO(later.err);
  CHECK(later.status == 0);
  CHECK(saved_refresh_token() != first);

  // The session belongs to the URL it was opened on: another spelling of
  // the same node gets no token.
  CHECK(ctl({"--url", "http://localhost:" + std::to_string(server.port()), "actors", "list"}).status == 3);

  auto logout = ctl({"--url", url, "logout"});
  CHECK(logout.status == 0);
  CHECK_FALSE(std::filesystem::exists(file));
  CHECK(ctl({"--url", url, "actors", "list"}).status == 3);
  std::filesystem::remove_all(file.parent_path());
}

TEST_CASE("taskflowctl: an unreachable node exits 1", "[e2e][taskflowctl]") {
  auto r = ctl({"--url", "http://127.0.0.1:" + std::to_string(closed_port()), "cluster", "status"}, "some-token");
  CHECK(r.status == 1);
  CHECK(r.err.find("cannot reach") != std::string::npos);
}

TEST_CASE("taskflowctl: every command against a running node", "[e2e][taskflowctl]") {
  server_process server;
  http_client admin{server.port()};
  auto token = sign_in_as_admin(admin)["access_token"].get<std::string>();
  auto url = url_of(server);

  SECTION("no token, a bad token and a non-admin's token exit 3") {
    auto none = ctl({"--url", url, "cluster", "status"});
    CHECK(none.status == 3);
    CHECK(none.err.find("TASKFLOW_TOKEN") != std::string::npos);
    CHECK(ctl({"--url", url, "--token", "not-a-jwt", "actors", "list"}).status == 3);

    http_client user{server.port()};
    REQUIRE(user.post_json("/api/v1/users", {{"email", "ctl-user@example.com"},
                                             {"password", "long-enough-pw"},
                                             {"display_name", "Not an admin"}})
                .status == 201);
    auto user_token = sign_in(user, "ctl-user@example.com", "long-enough-pw")["access_token"].get<std::string>();
    auto refused = ctl({"--url", url, "cluster", "status"}, user_token);
    CHECK(refused.status == 3);
    CHECK(refused.out.empty());
  }

  SECTION("cluster status: a table for people, the API's JSON with --json") {
    auto table = ctl({"--url", url, "cluster", "status"}, token);
    INFO(table.err);
    REQUIRE(table.status == 0);
    CHECK(table.out.find("NODE") != std::string::npos);
    CHECK(table.out.find("UPTIME") != std::string::npos);
    auto json_out = ctl({"cluster", "status", "--json", "--url=" + url}, token);
    REQUIRE(json_out.status == 0);
    auto body = json::parse(json_out.out);
    REQUIRE(body["nodes"].size() == 1);
    CHECK(body["nodes"][0]["shards_owned"] == body["shard_count"]);
    CHECK(table.out.find(body["node_id"].get<std::string>()) != std::string::npos);
  }

  SECTION("actors list, show and passivate follow one task's actor") {
    // A title with a terminal escape never gets as far as taskflowctl.
    CHECK(admin.post_json("/api/v1/tasks", {{"title", "Inspect me\x1b[2J"}}).status == 400);
    auto created = admin.post_json("/api/v1/tasks", {{"title", "Inspect me"}});
    REQUIRE(created.status == 201);
    auto id = created.json()["id"].get<std::string>();

    auto listed = ctl({"--url", url, "actors", "list", "--type", "task"}, token);
    INFO(listed.err);
    REQUIRE(listed.status == 0);
    CHECK(listed.out.find(id) != std::string::npos);
    // Ids are UUIDv7, time first: actors made in the same moment share a
    // short prefix, so the prefix here reaches into the random bits.
    auto by_prefix =
        ctl({"--url", url, "--json", "actors", "list", "--prefix", id.substr(0, 28), "--limit", "5"}, token);
    REQUIRE(by_prefix.status == 0);
    auto page = json::parse(by_prefix.out);
    REQUIRE(page["items"].size() == 1);
    CHECK(page["items"][0]["id"] == id);
    CHECK(page.contains("next_cursor"));

    // The next-page hint is a command that works as printed: it keeps the filters.
    for (int i = 0; i < 2; ++i)
      REQUIRE(admin.post_json("/api/v1/tasks", {{"title", "page filler"}}).status == 201);
    auto first = ctl({"--url", url, "actors", "list", "--type", "task", "--limit", "2"}, token);
    REQUIRE(first.status == 0);
    auto hint = first.out.find("the next page: taskflowctl ");
    REQUIRE(hint != std::string::npos);
    std::istringstream words{first.out.substr(hint + std::string{"the next page: taskflowctl "}.size())};
    std::vector<std::string> next{"--url", url};
    for (std::string w; words >> w;)
      next.push_back(w);
    CHECK(std::find(next.begin(), next.end(), "--type") != next.end());
    auto second = ctl(next, token);
    INFO(second.err);
    CHECK(second.status == 0);

    auto shown = ctl({"--url", url, "actors", "show", "task", id}, token);
    REQUIRE(shown.status == 0);
    CHECK(shown.out.find("task/" + id) != std::string::npos);
    CHECK(shown.out.find("Inspect me") != std::string::npos);
    CHECK(shown.out.find('\x1b') == std::string::npos);  // no terminal escapes from the server's strings
    // Events read as sentences, as in the console, not as raw JSON.
    CHECK(shown.out.find("created “Inspect me”") != std::string::npos);
    CHECK(shown.out.find("\"event_id\"") == std::string::npos);
    auto shown_json = json::parse(ctl({"--url", url, "--json", "actors", "show", "task", id}, token).out);
    CHECK(shown_json["resident"] == true);
    CHECK(shown_json["state"].dump().find("Inspect me") != std::string::npos);

    auto passivated = ctl({"--url", url, "actors", "passivate", "task", id}, token);
    INFO(passivated.err);
    CHECK(passivated.status == 0);
    CHECK(passivated.out == "passivated task/" + id + "\n");
    auto after = json::parse(ctl({"--url", url, "--json", "actors", "list", "--type", "task"}, token).out);
    for (const auto& item : after["items"])
      CHECK(item["id"] != id);
    auto again = ctl({"--url", url, "actors", "passivate", "task", id}, token);
    CHECK(again.status == 4);
  }

  SECTION("an unknown actor exits 4") {
    auto r = ctl({"--url", url, "actors", "show", "task", "00000000-0000-4000-8000-000000000000"}, token);
    CHECK(r.status == 4);
    CHECK(r.out.empty());
  }

  SECTION("with --json, an error is the problem as JSON on stderr") {
    auto r = ctl({"--url", url, "--json", "actors", "show", "task", "00000000-0000-4000-8000-000000000000"}, token);
    CHECK(r.status == 4);
    CHECK(r.out.empty());
    auto problem = json::parse(r.err);
    CHECK(problem["status"] == 404);
    CHECK(problem.contains("title"));
  }
}

TEST_CASE("taskflowctl webhooks list and deliveries show the dispatcher", "[e2e][taskflowctl]") {
  server_process server;
  http_client admin{server.port()};
  auto token = sign_in_as_admin(admin)["access_token"].get<std::string>();
  auto url = url_of(server);
  // A webhook the admin owns, to a documentation address (no lookup): nothing
  // here is ever notified to it, so nothing is sent anywhere.
  auto hook = admin.post_json("/api/v1/webhooks", {{"url", "https://203.0.113.10/hook"}, {"events", {"task.overdue"}}});
  REQUIRE(hook.status == 201);
  auto id = hook.json()["id"].get<std::string>();

  auto listed = ctl({"--url", url, "webhooks", "list"}, token);
  INFO(listed.err);
  REQUIRE(listed.status == 0);
  CHECK(listed.out.find("0 deliveries pending") != std::string::npos);
  CHECK(listed.out.find("BREAKER") != std::string::npos);
  auto as_json = ctl({"--url", url, "--json", "webhooks", "list"}, token);
  REQUIRE(as_json.status == 0);
  CHECK(json::parse(as_json.out)["pending"] == 0);

  auto log = ctl({"--url", url, "webhooks", "deliveries", id, "--limit", "5"}, token);
  INFO(log.err);
  REQUIRE(log.status == 0);
  CHECK(log.out.find("0 deliveries") != std::string::npos);
  CHECK(ctl({"--url", url, "webhooks", "deliveries", "01a20f1d-0000-7000-8000-000000000001"}, token).status == 4);
  CHECK(ctl({"--url", url, "webhooks", "deliveries"}, token).status == 2);
}
