// Flags, their environment variables, precedence and error messages.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <sstream>
#include <thread>

#include "runtime/config/config.hpp"

using namespace taskflow::runtime;

namespace {

env_lookup env_from(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>{it->second};
  };
}

std::string error_text(const caf::expected<parsed_command>& parsed) {
  REQUIRE_FALSE(parsed);
  return caf::to_string(parsed.error());
}

}  // namespace

TEST_CASE("defaults match API.md", "[config]") {
  auto parsed = parse_command_line({"serve"}, env_from({}));
  REQUIRE(parsed);
  CHECK(parsed->cfg.listen.host == "127.0.0.1");
  CHECK(parsed->cfg.listen.port == 8080);
  CHECK(parsed->cfg.data_dir == "./data");
  CHECK(parsed->cfg.cluster == "taskflow");
  CHECK(parsed->cfg.has_role("edge"));
  CHECK(parsed->cfg.has_role("worker"));
  CHECK_FALSE(parsed->cfg.postgres);
  CHECK_FALSE(parsed->cfg.webhook_allow_private);
  CHECK_FALSE(parsed->cfg.node_id.empty());
  CHECK(parsed->cfg.actor_threads == std::max(1u, std::thread::hardware_concurrency()));
  CHECK(parsed->cfg.store_threads == 32);
  CHECK(parsed->cfg.store_queue_limit == 10'000);
}

TEST_CASE("every flag has a TASKFLOW_ variable, and flags win", "[config]") {
  auto parsed =
      parse_command_line({"serve", "--listen", "127.0.0.1:9000"}, env_from({{"TASKFLOW_LISTEN", "127.0.0.1:7000"},
                                                                            {"TASKFLOW_DATA_DIR", "/tmp/x"},
                                                                            {"TASKFLOW_WEBHOOK_ALLOW_PRIVATE", "true"},
                                                                            {"TASKFLOW_REQUEST_TIMEOUT_MS", "250"},
                                                                            {"TASKFLOW_NODE_ID", "n7"}}));
  REQUIRE(parsed);
  CHECK(parsed->cfg.listen.port == 9000);
  CHECK(parsed->cfg.data_dir == "/tmp/x");
  CHECK(parsed->cfg.webhook_allow_private);
  CHECK(parsed->cfg.request_timeout == std::chrono::milliseconds{250});
  CHECK(parsed->cfg.node_id == "n7");
}

TEST_CASE("flags take --name value and --name=value, booleans stand alone", "[config]") {
  auto parsed =
      parse_command_line({"serve", "--roles=edge", "--webhook-allow-private", "--cluster", "blue"}, env_from({}));
  REQUIRE(parsed);
  CHECK(parsed->cfg.roles == std::vector<std::string>{"edge"});
  CHECK(parsed->cfg.webhook_allow_private);
  CHECK(parsed->cfg.cluster == "blue");
}

TEST_CASE("bad values are refused with the flag's name", "[config]") {
  CHECK_THAT(error_text(parse_command_line({"serve", "--listen", "nowhere"}, env_from({}))),
             Catch::Contains("--listen expects HOST:PORT"));
  CHECK_THAT(error_text(parse_command_line({"serve", "--cluster-listen", "nowhere"}, env_from({}))),
             Catch::Contains("--cluster-listen expects HOST:PORT"));
  CHECK_THAT(error_text(parse_command_line({"serve", "--grpc-listen", "nowhere"}, env_from({}))),
             Catch::Contains("--grpc-listen expects HOST:PORT"));
  CHECK_FALSE(parse_command_line({"serve"}, env_from({}))->cfg.grpc_listen);
  CHECK_FALSE(parse_command_line({"serve", "--grpc-listen", "off"}, env_from({}))->cfg.grpc_listen);
  CHECK_THAT(error_text(parse_command_line({"serve", "--listen", "127.0.0.1:70000"}, env_from({}))),
             Catch::Contains("65535"));
  CHECK_THAT(error_text(parse_command_line({"serve", "--roles", "edge,chef"}, env_from({}))), Catch::Contains("chef"));
  CHECK_THAT(error_text(parse_command_line({"serve", "--bogus"}, env_from({}))), Catch::Contains("--bogus"));
  CHECK_THAT(error_text(parse_command_line({"serve", "--data-dir"}, env_from({}))), Catch::Contains("needs a value"));
  CHECK_THAT(error_text(parse_command_line({"serve"}, env_from({{"TASKFLOW_MAX_BODY_BYTES", "lots"}}))),
             Catch::Contains("TASKFLOW_MAX_BODY_BYTES"));
  CHECK_THAT(error_text(parse_command_line({"launch"}, env_from({}))), Catch::Contains("unknown command"));
}

TEST_CASE("help is a command of its own and lists every variable", "[config]") {
  auto parsed = parse_command_line({"serve", "--help"}, env_from({}));
  REQUIRE(parsed);
  CHECK(parsed->command == "help");
  CHECK_THAT(usage(), Catch::Contains("TASKFLOW_CLUSTER_LISTEN"));
  CHECK_THAT(usage(), Catch::Contains("--webhook-allow-private"));
}

TEST_CASE("the version command, spelled version or --version, ignores the environment", "[config]") {
  for (const auto* word : {"--version", "version"}) {
    auto parsed = parse_command_line({word}, env_from({{"TASKFLOW_LISTEN", "not an address"}}));
    REQUIRE(parsed);
    CHECK(parsed->command == "version");
  }
  CHECK_THAT(usage(), Catch::Contains("--version"));
}

TEST_CASE("IPv6 listen addresses are accepted in brackets", "[config]") {
  auto hp = parse_host_port("listen", "[::1]:8080");
  REQUIRE(hp);
  CHECK(hp->host == "::1");
  CHECK(hp->port == 8080);
}

TEST_CASE("config prints every flag's value, secrets hidden", "[config]") {
  auto parsed = parse_command_line({"config", "--listen", "[::1]:9000", "--bootstrap-admin", "a@b.c:hunter22",
                                    "--postgres", "postgresql://tf:s3cret@db:5432/tf"},
                                   env_from({{"TASKFLOW_DATA_DIR", "/srv/tf"}}));
  REQUIRE(parsed);
  CHECK(parsed->command == "config");
  auto text = describe(parsed->cfg);
  CHECK_THAT(text, Catch::Contains("listen=[::1]:9000\n"));
  CHECK_THAT(text, Catch::Contains("data-dir=/srv/tf\n"));
  CHECK_THAT(text, Catch::Contains("bootstrap-admin=(set)\n"));
  CHECK_THAT(text, Catch::Contains("postgres=postgresql://tf@db:5432/tf\n"));
  CHECK_THAT(text, Catch::Contains("rate-limit-ip=100/200\n"));
  CHECK_THAT(text, Catch::Contains("nats=\n"));
  CHECK_THAT(text, !Catch::Contains("hunter22") && !Catch::Contains("s3cret"));
  // A line for every flag help lists, so a script can read any of them.
  std::istringstream help{usage()};
  for (std::string line; std::getline(help, line);) {
    if (line.rfind("  --", 0) != 0)
      continue;
    auto name = line.substr(4, line.find(' ', 4) - 4);
    CHECK_THAT("\n" + text, Catch::Contains("\n" + name + "="));
  }
}

TEST_CASE("passwords are cut out of backend URLs", "[config]") {
  CHECK(without_password("postgresql://tf:pw@127.0.0.1:5432/tf") == "postgresql://tf@127.0.0.1:5432/tf");
  CHECK(without_password("postgresql://tf@127.0.0.1/tf") == "postgresql://tf@127.0.0.1/tf");
  CHECK(without_password("nats://u:p@h:4222") == "nats://u@h:4222");
  CHECK(without_password("redis://:p@h:6379/0") == "redis://@h:6379/0");
  CHECK(without_password("host=db user=tf password=pw dbname=tf") == "host=db user=tf password=(hidden) dbname=tf");
  CHECK(without_password("host=db password='a b\\'c' dbname=tf") == "host=db password=(hidden) dbname=tf");
  CHECK(without_password("postgresql://db/tf?user=tf&password=pw&sslmode=require") ==
        "postgresql://db/tf?user=tf&password=(hidden)&sslmode=require");
  // A path that merely contains an @ is no user info.
  CHECK(without_password("nats://h:4222/a:b@c") == "nats://h:4222/a:b@c");
}

TEST_CASE("reminder lead, scan interval and horizon have defaults, flags and variables", "[config]") {
  auto defaults = parse_command_line({"serve"}, env_from({}));
  REQUIRE(defaults);
  CHECK(defaults->cfg.reminder_lead == std::chrono::hours{1});
  CHECK(defaults->cfg.reminder_scan_interval == std::chrono::seconds{10});
  CHECK(defaults->cfg.reminder_horizon == std::chrono::minutes{5});

  auto set = parse_command_line({"serve", "--reminder-lead-ms", "0", "--reminder-scan-ms=100"},
                                env_from({{"TASKFLOW_REMINDER_HORIZON_MS", "1000"}}));
  REQUIRE(set);
  CHECK(set->cfg.reminder_lead == std::chrono::milliseconds{0});
  CHECK(set->cfg.reminder_scan_interval == std::chrono::milliseconds{100});
  CHECK(set->cfg.reminder_horizon == std::chrono::milliseconds{1000});

  CHECK_THAT(error_text(parse_command_line({"serve", "--reminder-scan-ms", "60000", "--reminder-horizon-ms", "60000"},
                                           env_from({}))),
             Catch::Contains("--reminder-horizon-ms must be above --reminder-scan-ms"));
}

TEST_CASE("webhook flags: a shortened retry schedule, timeouts, and a lease that outlives a POST", "[config]") {
  auto parsed = parse_command_line({"serve", "--webhook-retry-schedule", "0,200ms,1s,2m,1h"}, env_from({}));
  REQUIRE(parsed);
  using namespace std::chrono_literals;
  CHECK(parsed->cfg.webhook_retry_schedule == taskflow::notification::retry_schedule{0ms, 200ms, 1s, 2min, 1h});
  CHECK_THAT(describe(parsed->cfg), Catch::Contains("webhook-retry-schedule=0ms,200ms,1s,2m,1h"));
  auto defaults = parse_command_line({"serve"}, env_from({}));
  REQUIRE(defaults);
  CHECK(defaults->cfg.webhook_retry_schedule == taskflow::notification::standard_retry_schedule());
  CHECK(defaults->cfg.webhook_lease >= defaults->cfg.webhook_timeout * 2);
  for (const char* bad : {"", "5x", "-1", "1,,x", "8d"})
    CHECK_FALSE(parse_command_line({"serve", "--webhook-retry-schedule", bad}, env_from({})));
  auto short_lease =
      parse_command_line({"serve", "--webhook-timeout-ms", "10000", "--webhook-lease-ms", "15000"}, env_from({}));
  REQUIRE_FALSE(short_lease);
  CHECK_THAT(to_string(short_lease.error()), Catch::Contains("--webhook-lease-ms"));
  auto from_env = parse_command_line({"serve"}, env_from({{"TASKFLOW_WEBHOOK_POLL_MS", "50"}}));
  REQUIRE(from_env);
  CHECK(from_env->cfg.webhook_poll_interval == 50ms);
}
