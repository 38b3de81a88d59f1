// The node's configuration: one struct, parsed once from flags and
// TASKFLOW_* environment variables (flags win), validated, then passed down.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <caf/expected.hpp>

namespace taskflow::runtime {

struct host_port {
  std::string host;
  std::uint16_t port = 0;
};

struct config {
  host_port listen{"127.0.0.1", 8080};
  std::filesystem::path data_dir = "./data";
  std::vector<std::string> roles{"edge", "worker"};
  std::optional<std::string> postgres;
  std::optional<std::string> nats;
  std::optional<std::string> redis;
  std::string node_id;
  std::string cluster = "taskflow";
  std::optional<host_port> cluster_listen;
  bool webhook_allow_private = false;

  std::chrono::milliseconds request_timeout{5000};
  std::chrono::milliseconds actor_idle_timeout{std::chrono::minutes{5}};
  std::size_t max_resident_actors = 100'000;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 << 10;
  std::size_t max_json_depth = 32;
  unsigned http_threads = 2;
  // CAF worker threads. Store calls block a worker, so we run more workers
  // than cores; 0 means 4 per core, at least 8.
  unsigned actor_threads = 0;
  std::chrono::milliseconds outbox_poll_interval{200};
  std::chrono::milliseconds drain_timeout{std::chrono::seconds{20}};
  std::string log_level = "info";

  bool has_role(const std::string& role) const;
};

// What the command line asked for: a config to serve, or help text to print.
struct parsed_command {
  std::string command;  // "serve" or "help"
  config cfg;
};

using env_lookup = std::function<std::optional<std::string>(const std::string& name)>;

// Parses `taskflow <command> [--flag value | --flag=value]...`. Every flag
// also reads TASKFLOW_<FLAG_IN_UPPER_SNAKE>. Errors name the flag and the rule.
caf::expected<parsed_command> parse_command_line(const std::vector<std::string>& args, const env_lookup& env);

// The flag reference printed by `taskflow help`.
std::string usage();

caf::expected<host_port> parse_host_port(const std::string& text);

}  // namespace taskflow::runtime
