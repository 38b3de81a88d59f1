// The node's configuration: one struct, parsed once from flags and
// TASKFLOW_* environment variables (flags win), validated, then passed down.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <caf/expected.hpp>

#include "actors/notification/webhook_retry.hpp"

namespace taskflow::runtime {

struct host_port {
  std::string host;
  std::uint16_t port = 0;
};

// A token bucket: `per_second` tokens refill continuously up to `burst`.
// A rate of 0 turns the limit off.
struct rate_limit {
  double per_second = 0;
  double burst = 0;
  bool enabled() const { return per_second > 0; }
};

struct config {
  host_port listen{"127.0.0.1", 8080};
  // The gRPC task API (http-edge/grpc/); off unless given. Port 0 picks a
  // free one.
  std::optional<host_port> grpc_listen;
  std::filesystem::path data_dir = "./data";
  std::vector<std::string> roles{"edge", "worker"};
  std::optional<std::string> postgres;
  std::optional<std::string> nats;
  std::optional<std::string> redis;
  std::string node_id;
  std::string cluster = "taskflow";
  std::optional<host_port> cluster_listen;
  bool webhook_allow_private = false;

  // Webhook deliveries: the wait before each attempt (Standard Webhooks by
  // default; tests shorten it), the timeouts of one POST, how long a node
  // holds a delivery it leased (longer than any POST, so no delivery is sent
  // twice at once), how often the dispatcher looks for due ones, the threads
  // that send, and the breaker per endpoint.
  notification::retry_schedule webhook_retry_schedule = notification::standard_retry_schedule();
  std::chrono::milliseconds webhook_connect_timeout{5000};
  std::chrono::milliseconds webhook_timeout{15000};
  std::chrono::milliseconds webhook_lease{60000};
  std::chrono::milliseconds webhook_poll_interval{1000};
  unsigned webhook_threads = 4;
  int webhook_breaker_failures = 5;
  std::chrono::milliseconds webhook_breaker_open{30000};

  // Cluster (a node with --nats joins the cluster named above). The ttl and
  // heartbeat bound failover: a killed worker's shards answer again after
  // about ttl plus one handoff. A node cut off from NATS stops serving after
  // two thirds of the ttl, before anyone else may take its shards.
  std::uint32_t shard_count = 1024;
  std::chrono::milliseconds heartbeat_interval{500};
  std::chrono::milliseconds membership_ttl{1500};
  std::chrono::milliseconds handoff_timeout{5000};

  std::chrono::milliseconds request_timeout{5000};
  // Requests one edge works on at once (probes and /metrics aside); past it,
  // 503 with Retry-After at once. At B4's 6,000 writes/s a full budget is
  // about 170 ms of queueing, far inside the request timeout.
  std::size_t max_in_flight_requests = 1024;
  // A PostgreSQL, NATS or Redis call slower than this counts against its
  // breaker as a failure (runtime/resilience/dependency_guard.hpp); 0: off.
  std::chrono::milliseconds dependency_slow_call{2000};
  std::chrono::milliseconds actor_idle_timeout{std::chrono::minutes{5}};
  std::size_t max_resident_actors = 100'000;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 << 10;
  std::size_t max_json_depth = 32;
  unsigned http_threads = 2;
  // CAF worker threads; 0 means one per core. Nothing blocks a worker (store
  // calls run on the store pool), so more workers than cores buy nothing.
  unsigned actor_threads = 0;
  // The pool that runs blocking store calls off the actor and HTTP threads,
  // and how many calls may wait for it before the node answers 503.
  unsigned store_threads = 32;
  std::size_t store_queue_limit = 10'000;
  std::chrono::milliseconds outbox_poll_interval{200};
  // Due-date reminders: "due soon" this long before a task's due date; the
  // node's timer wheel reads the timers due within the horizon from the
  // store every scan interval (and within a second when its shards change), so the
  // horizon must exceed the interval for no timer to fall between scans.
  std::chrono::milliseconds reminder_lead{std::chrono::hours{1}};
  std::chrono::milliseconds reminder_scan_interval{std::chrono::seconds{10}};
  std::chrono::milliseconds reminder_horizon{std::chrono::minutes{5}};
  std::chrono::milliseconds drain_timeout{std::chrono::seconds{20}};
  // Live notification streams (GET /api/v1/events) this edge keeps open, in
  // all and per user; past either, 503 with Retry-After.
  std::size_t max_event_streams = 1000;
  std::size_t max_event_streams_per_user = 5;
  std::string log_level = "info";
  // Traces: an OTLP/HTTP collector's base URL (off when unset), and the
  // share of traces starting here that are sampled (kept in the node's
  // trace buffer for the console, and exported). A caller's sampled flag in
  // its traceparent always wins.
  std::optional<std::string> otlp_endpoint;
  double trace_sample_ratio = 0.1;
  // Once the edge listens, the node writes its address and what it runs on
  // to this file, for the script that started it (tools/run's banner).
  std::optional<std::filesystem::path> ready_file;

  // Identity. The bootstrap admin is "email:password" and, being a secret,
  // is never logged or printed back.
  std::optional<std::string> bootstrap_admin;
  std::string jwt_issuer = "taskflow";
  std::string jwt_audience = "taskflow-api";
  std::optional<std::filesystem::path> jwt_private_key_file;
  // Seals the signing keys kept in the store (runtime/identity/key_wrap.hpp).
  std::optional<std::filesystem::path> key_encryption_key_file;
  std::chrono::seconds access_token_ttl{15 * 60};
  std::chrono::seconds session_ttl{7 * 24 * 3600};
  std::chrono::seconds jwt_key_rotation{30 * 24 * 3600};

  // Edge rate limits: per principal for authenticated requests, per client
  // IP for anonymous ones; per client IP again on the credential endpoints
  // (sign-in, registration, refresh, token), which spend an Argon2 hash; and
  // per client IP and account on failed sign-ins only, which is what slows a
  // password guesser without locking out a user who types correctly.
  rate_limit principal_rate{1000, 2000};
  rate_limit ip_rate{100, 200};
  rate_limit auth_rate{5, 100};
  rate_limit login_failure_rate{0.1, 10};

  bool has_role(const std::string& role) const;
};

// What the command line asked for: a config to serve or to print, or help
// text to print.
struct parsed_command {
  std::string command;  // "serve", "config", "help" or "version"
  config cfg;
};

using env_lookup = std::function<std::optional<std::string>(const std::string& name)>;

// Parses `taskflow <command> [--flag value | --flag=value]...`. Every flag
// also reads TASKFLOW_<FLAG_IN_UPPER_SNAKE>. Errors name the flag and the rule.
caf::expected<parsed_command> parse_command_line(const std::vector<std::string>& args, const env_lookup& env);

// The flag reference printed by `taskflow help`.
std::string usage();

// `taskflow config`: every flag's value, one NAME=VALUE line each, secrets
// shown only as "(set)" and passwords cut out of URLs.
std::string describe(const config& cfg);

// A backend URL fit for logs and screens: the password of its user info,
// and any password= parameter (also in libpq's key=value form), replaced.
std::string without_password(std::string_view url);

// `flag` names the flag the text came from, for the error.
caf::expected<host_port> parse_host_port(const std::string& flag, const std::string& text);

}  // namespace taskflow::runtime
