// The flag table's contract: what `taskflow config` prints is what the flags
// take back, every flag refuses what it cannot use, and the rules between
// flags hold whatever order they come in.
#include <catch2/catch.hpp>

#include <sstream>
#include <string>
#include <vector>

#include "runtime/config/config.hpp"
#include "runtime/config/config_flags.hpp"

using namespace taskflow::runtime;
using namespace std::chrono_literals;

namespace {

std::optional<std::string> no_env(const std::string&) {
  return std::nullopt;
}

caf::expected<parsed_command> serve(std::vector<std::string> args) {
  args.insert(args.begin(), "serve");
  return parse_command_line(args, no_env);
}

std::string refusal(std::vector<std::string> args) {
  auto parsed = serve(std::move(args));
  REQUIRE_FALSE(parsed);
  return to_string(parsed.error());
}

// `taskflow config`'s lines as --name=value flags, leaving out the unset
// ones and the secret that shows only that it is set.
std::vector<std::string> as_flags(const std::string& described) {
  std::vector<std::string> out;
  std::istringstream in{described};
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    REQUIRE(eq != std::string::npos);
    auto value = line.substr(eq + 1);
    if (!value.empty() && value != "(set)")
      out.push_back("--" + line);
  }
  return out;
}

}  // namespace

TEST_CASE("what taskflow config prints, given back as flags, is the same configuration", "[config]") {
  auto first = serve({"--listen",
                      "[::1]:9001",
                      "--roles",
                      "worker",
                      "--nats",
                      "nats://127.0.0.1:4222",
                      "--cluster-listen",
                      "0.0.0.0:0",
                      "--grpc-listen",
                      "127.0.0.1:0",
                      "--webhook-allow-private",
                      "--webhook-retry-schedule",
                      "0,250ms,90s,5m,3h",
                      "--rate-limit-ip",
                      "0.5/10",
                      "--rate-limit-auth",
                      "off",
                      "--log-level",
                      "warn",
                      "--access-token-ttl-s",
                      "60",
                      "--node-id",
                      "n-1"});
  REQUIRE(first);
  auto described = describe(first->cfg);
  auto again = serve(as_flags(described));
  REQUIRE(again);
  CHECK(describe(again->cfg) == described);
  CHECK_THAT(described, Catch::Contains("webhook-retry-schedule=0ms,250ms,90s,5m,3h\n"));
  CHECK_THAT(described, Catch::Contains("rate-limit-ip=0.5/10\n"));
  CHECK_THAT(described, Catch::Contains("rate-limit-auth=0\n"));
  CHECK_THAT(described, Catch::Contains("cluster-listen=0.0.0.0:0\n"));
  CHECK_THAT(described, Catch::Contains("grpc-listen=127.0.0.1:0\n"));
  CHECK_FALSE(again->cfg.auth_rate.enabled());
}

TEST_CASE("every flag refuses an empty value and says which flag it was", "[config]") {
  for (const auto& f : flags()) {
    INFO("--" << f.name);
    config cfg;
    auto err = f.set(cfg, "");
    REQUIRE(err);
    CHECK_THAT(to_string(err), Catch::Contains("--" + f.name));
  }
}

TEST_CASE("numbers outside a flag's range or with trailing text are refused with the range", "[config]") {
  CHECK_THAT(refusal({"--max-header-bytes", "1023"}), Catch::Contains("from 1024 to 1048576"));
  CHECK(serve({"--max-header-bytes", "1024"}));
  CHECK_THAT(refusal({"--http-threads", "2x"}), Catch::Contains("'2x'"));
  CHECK_THAT(refusal({"--access-token-ttl-s", "9"}), Catch::Contains("--access-token-ttl-s"));
  CHECK_THAT(refusal({"--request-timeout-ms", "-5"}), Catch::Contains("--request-timeout-ms"));
  CHECK_THAT(refusal({"--shard-count", "0"}), Catch::Contains("--shard-count"));
}

TEST_CASE("traces: an OTLP endpoint is an http(s) URL, and a sample ratio a number from 0 to 1", "[config]") {
  CHECK_THAT(refusal({"--otlp-endpoint", "collector:4318"}), Catch::Contains("http:// or https://"));
  CHECK_THAT(refusal({"--otlp-endpoint", "ftp://collector"}), Catch::Contains("--otlp-endpoint"));
  CHECK_THAT(refusal({"--otlp-endpoint", "http://"}), Catch::Contains("--otlp-endpoint"));
  CHECK(serve({"--otlp-endpoint", "https://collector.example:4318"}));
  CHECK_THAT(refusal({"--trace-sample-ratio", "1.5"}), Catch::Contains("from 0 to 1"));
  CHECK_THAT(refusal({"--trace-sample-ratio", "0.1x"}), Catch::Contains("--trace-sample-ratio"));
  CHECK_THAT(refusal({"--trace-sample-ratio", "nan"}), Catch::Contains("--trace-sample-ratio"));
  CHECK(serve({"--trace-sample-ratio", "0"}));
  CHECK(serve({"--trace-sample-ratio", "1"}));
}

TEST_CASE("a rate limit is RATE/BURST with a positive rate and a burst of at least one, or off", "[config]") {
  auto parsed = serve({"--rate-limit-principal", "0.5/10"});
  REQUIRE(parsed);
  CHECK(parsed->cfg.principal_rate.per_second == 0.5);
  CHECK(parsed->cfg.principal_rate.burst == 10);
  for (const char* off : {"0", "off"}) {
    auto disabled = serve({"--rate-limit-ip", off});
    REQUIRE(disabled);
    CHECK_FALSE(disabled->cfg.ip_rate.enabled());
  }
  for (const char* bad : {"200", "0/5", "5/0.5", "5/10x", "x/10", "2000000/10", "5/"}) {
    INFO(bad);
    CHECK_THAT(refusal({"--rate-limit-ip", bad}), Catch::Contains("RATE/BURST"));
  }
}

TEST_CASE("retry schedules take ms, s, m and h up to a week each, and 1 to 50 of them", "[config]") {
  auto parsed = serve({"--webhook-retry-schedule", "7,2s,3m,168h"});
  REQUIRE(parsed);
  CHECK(parsed->cfg.webhook_retry_schedule == taskflow::notification::retry_schedule{7ms, 2s, 3min, 168h});
  CHECK_THAT(refusal({"--webhook-retry-schedule", "169h"}), Catch::Contains("'169h'"));
  std::string many = "1";
  for (int i = 1; i < 51; ++i)
    many += ",1";
  CHECK_THAT(refusal({"--webhook-retry-schedule", many}), Catch::Contains("1 to 50"));
}

TEST_CASE("roles, node id, log level, boolean and admin flags refuse what they cannot use", "[config]") {
  CHECK_THAT(refusal({"--roles", ",,"}), Catch::Contains("at least one"));
  CHECK(serve({"--node-id", std::string(64, 'n')}));
  CHECK_THAT(refusal({"--node-id", std::string(65, 'n')}), Catch::Contains("1 to 64"));
  CHECK_THAT(refusal({"--log-level", "verbose"}), Catch::Contains("debug, info, warn or error"));
  CHECK_THAT(refusal({"--webhook-allow-private=yes"}), Catch::Contains("true or false"));
  auto off = serve({"--webhook-allow-private=0"});
  REQUIRE(off);
  CHECK_FALSE(off->cfg.webhook_allow_private);
  for (const char* bad : {"admin@example.com", ":hunter22", "admin@example.com:"}) {
    INFO(bad);
    CHECK_THAT(refusal({"--bootstrap-admin", bad}), Catch::Contains("EMAIL:PASSWORD"));
  }
}

TEST_CASE("a membership ttl under two heartbeats is refused, whichever flag set it", "[config]") {
  CHECK_THAT(refusal({"--heartbeat-ms", "1000"}), Catch::Contains("--membership-ttl-ms must be at least twice"));
  CHECK_THAT(refusal({"--membership-ttl-ms", "999", "--heartbeat-ms", "500"}),
             Catch::Contains("--membership-ttl-ms must be at least twice"));
  CHECK(serve({"--membership-ttl-ms", "2000", "--heartbeat-ms", "1000"}));
}

TEST_CASE("the command line takes only flags after the command, and -h anywhere asks for help", "[config]") {
  CHECK_THAT(refusal({"extra"}), Catch::Contains("unexpected argument 'extra'"));
  auto help = serve({"--log-level", "warn", "-h"});
  REQUIRE(help);
  CHECK(help->command == "help");
  auto bare = parse_command_line({}, no_env);
  REQUIRE(bare);
  CHECK(bare->command == "help");
}

TEST_CASE("an empty environment variable leaves the default in place", "[config]") {
  auto parsed = parse_command_line({"serve"}, [](const std::string& name) -> std::optional<std::string> {
    if (name == "TASKFLOW_LISTEN" || name == "TASKFLOW_LOG_LEVEL")
      return std::string{};
    return std::nullopt;
  });
  REQUIRE(parsed);
  CHECK(parsed->cfg.listen.port == 8080);
  CHECK(parsed->cfg.log_level == "info");
}
