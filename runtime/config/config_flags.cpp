#include "runtime/config/config_flags.hpp"

#include <algorithm>
#include <optional>
#include <sstream>

#include <caf/sec.hpp>

namespace taskflow::runtime {
namespace {

std::string show(const host_port& hp) {
  auto host = hp.host.find(':') == std::string::npos ? hp.host : "[" + hp.host + "]";
  return host + ":" + std::to_string(hp.port);
}

std::string show(const rate_limit& limit) {
  if (!limit.enabled())
    return "0";
  std::ostringstream out;
  out << limit.per_second << "/" << limit.burst;
  return out.str();
}

template <class Int>
auto int_flag(std::string name, std::string help, Int config::*field, Int min, Int max) {
  return flag{name, std::move(help), false,
              [=](config& c, const std::string& v) -> caf::error {
                auto parsed = parse_int<Int>(name, v, min, max);
                if (!parsed)
                  return parsed.error();
                c.*field = *parsed;
                return caf::none;
              },
              [=](const config& c) { return std::to_string(c.*field); }};
}

auto ms_flag(std::string name, std::string help, std::chrono::milliseconds config::*field, std::int64_t min) {
  return flag{name, std::move(help), false,
              [=](config& c, const std::string& v) -> caf::error {
                auto parsed = parse_int<std::int64_t>(name, v, min, 86'400'000);
                if (!parsed)
                  return parsed.error();
                c.*field = std::chrono::milliseconds{*parsed};
                return caf::none;
              },
              [=](const config& c) { return std::to_string((c.*field).count()); }};
}

// With `schemes`, the URL must name one of them: a client that speaks only
// those should stop the start on a typo rather than fail every call quietly.
auto url_flag(std::string name, std::string help, std::optional<std::string> config::*field,
              std::vector<std::string> schemes = {}) {
  return flag{name, std::move(help), false,
              [=](config& c, const std::string& v) -> caf::error {
                if (v.empty())
                  return config_error("--" + name + " must not be empty");
                if (!schemes.empty()) {
                  auto named = std::any_of(schemes.begin(), schemes.end(), [&v](const std::string& scheme) {
                    auto prefix = scheme + "://";
                    return v.size() > prefix.size() && v.rfind(prefix, 0) == 0;
                  });
                  if (!named) {
                    std::string listed;
                    for (const auto& scheme : schemes)
                      listed += (listed.empty() ? "" : " or ") + scheme + "://";
                    return config_error("--" + name + " must be an " + listed + " URL");
                  }
                }
                c.*field = v;
                return caf::none;
              },
              [=](const config& c) { return c.*field ? without_password(*(c.*field)) : std::string{}; }};
}

auto path_flag(std::string name, std::string help, std::optional<std::filesystem::path> config::*field) {
  return flag{name, std::move(help), false,
              [=](config& c, const std::string& v) -> caf::error {
                if (v.empty())
                  return config_error("--" + name + " must not be empty");
                c.*field = v;
                return caf::none;
              },
              [=](const config& c) { return c.*field ? (c.*field)->string() : std::string{}; }};
}

auto seconds_flag(std::string name, std::string help, std::chrono::seconds config::*field, std::int64_t min,
                  std::int64_t max) {
  return flag{name, std::move(help), false,
              [=](config& c, const std::string& v) -> caf::error {
                auto parsed = parse_int<std::int64_t>(name, v, min, max);
                if (!parsed)
                  return parsed.error();
                c.*field = std::chrono::seconds{*parsed};
                return caf::none;
              },
              [=](const config& c) { return std::to_string((c.*field).count()); }};
}

auto text_flag(std::string name, std::string help, std::string config::*field) {
  return flag{name, std::move(help), false,
              [=](config& c, const std::string& v) -> caf::error {
                if (v.empty())
                  return config_error("--" + name + " must not be empty");
                c.*field = v;
                return caf::none;
              },
              [=](const config& c) { return c.*field; }};
}

// "RATE/BURST" in requests per second, e.g. "200/400" or "0.5/10"; "0" is off.
auto rate_flag(std::string name, std::string help, rate_limit config::*field) {
  return flag{name, std::move(help), false,
              [=](config& c, const std::string& v) -> caf::error {
                if (v == "0" || v == "off") {
                  c.*field = rate_limit{};
                  return caf::none;
                }
                auto slash = v.find('/');
                char* end = nullptr;
                auto rate = std::strtod(v.c_str(), &end);
                bool ok = slash != std::string::npos && end == v.c_str() + slash && rate > 0 && rate <= 1e6;
                double burst = 0;
                if (ok) {
                  burst = std::strtod(v.c_str() + slash + 1, &end);
                  ok = end == v.c_str() + v.size() && burst >= 1 && burst <= 1e7;
                }
                if (!ok)
                  return config_error("--" + name +
                                      " must be RATE/BURST in requests per second, e.g. 200/400, or 0 "
                                      "to turn it off; got '" +
                                      v + "'");
                c.*field = rate_limit{rate, burst};
                return caf::none;
              },
              [=](const config& c) { return show(c.*field); }};
}

// "250ms", "5s", "5m", "2h" or a bare number of milliseconds.
std::optional<std::chrono::milliseconds> parse_duration(const std::string& text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || value < 0)
    return std::nullopt;
  std::string unit{end, text.data() + text.size()};
  std::int64_t scale = 0;
  if (unit.empty() || unit == "ms")
    scale = 1;
  else if (unit == "s")
    scale = 1000;
  else if (unit == "m")
    scale = 60'000;
  else if (unit == "h")
    scale = 3'600'000;
  constexpr std::int64_t week_ms = 7LL * 86'400'000;
  if (scale == 0 || value > week_ms / scale)
    return std::nullopt;
  return std::chrono::milliseconds{value * scale};
}

std::string show_duration(std::chrono::milliseconds d) {
  auto ms = d.count();
  if (ms != 0 && ms % 3'600'000 == 0)
    return std::to_string(ms / 3'600'000) + "h";
  if (ms != 0 && ms % 60'000 == 0)
    return std::to_string(ms / 60'000) + "m";
  if (ms != 0 && ms % 1000 == 0)
    return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in{text};
  for (std::string item; std::getline(in, item, sep);)
    if (!item.empty())
      out.push_back(item);
  return out;
}

}  // namespace

const std::vector<flag>& flags() {
  static const std::vector<flag> all{
      {"listen", "HTTP address HOST:PORT (default 127.0.0.1:8080)", false,
       [](config& c, const std::string& v) -> caf::error {
         auto hp = parse_host_port("listen", v);
         if (!hp)
           return hp.error();
         c.listen = *hp;
         return caf::none;
       },
       [](const config& c) { return show(c.listen); }},
      {"grpc-listen", "gRPC address HOST:PORT for the task API, or off (default off)", false,
       [](config& c, const std::string& v) -> caf::error {
         if (v == "off") {
           c.grpc_listen.reset();
           return caf::none;
         }
         auto hp = parse_host_port("grpc-listen", v);
         if (!hp)
           return hp.error();
         c.grpc_listen = *hp;
         return caf::none;
       },
       [](const config& c) { return c.grpc_listen ? show(*c.grpc_listen) : std::string{"off"}; }},
      {"data-dir", "directory of the embedded store (default ./data)", false,
       [](config& c, const std::string& v) -> caf::error {
         if (v.empty())
           return config_error("--data-dir must not be empty");
         c.data_dir = v;
         return caf::none;
       },
       [](const config& c) { return c.data_dir.string(); }},
      {"roles", "comma-separated roles: edge, worker (default edge,worker)", false,
       [](config& c, const std::string& v) -> caf::error {
         auto roles = split(v, ',');
         if (roles.empty())
           return config_error("--roles needs at least one of edge, worker");
         for (const auto& r : roles)
           if (r != "edge" && r != "worker")
             return config_error("--roles: unknown role '" + r + "' (known: edge, worker)");
         c.roles = roles;
         return caf::none;
       },
       [](const config& c) {
         std::string out;
         for (const auto& r : c.roles)
           out += (out.empty() ? "" : ",") + r;
         return out;
       }},
      url_flag("postgres", "PostgreSQL URL; the system of record instead of SQLite", &config::postgres),
      url_flag("nats", "NATS URL; JetStream event bus instead of the in-process bus", &config::nats),
      url_flag("redis", "Redis URL; shared cache instead of the in-process cache", &config::redis),
      {"node-id", "this node's id in the cluster (default: host name)", false,
       [](config& c, const std::string& v) -> caf::error {
         if (v.empty() || v.size() > 64)
           return config_error("--node-id must be 1 to 64 characters");
         c.node_id = v;
         return caf::none;
       },
       [](const config& c) { return c.node_id; }},
      {"cluster", "cluster name (default taskflow)", false,
       [](config& c, const std::string& v) -> caf::error {
         if (v.empty())
           return config_error("--cluster must not be empty");
         c.cluster = v;
         return caf::none;
       },
       [](const config& c) { return c.cluster; }},
      {"cluster-listen", "CAF middleman address HOST:PORT; port 0 picks a free one", false,
       [](config& c, const std::string& v) -> caf::error {
         auto hp = parse_host_port("cluster-listen", v);
         if (!hp)
           return hp.error();
         c.cluster_listen = *hp;
         return caf::none;
       },
       [](const config& c) { return c.cluster_listen ? show(*c.cluster_listen) : std::string{}; }},
      int_flag<std::uint32_t>("shard-count", "shards keys hash to; fixed when the cluster is created (default 1024)",
                              &config::shard_count, 1, 1 << 20),
      ms_flag("heartbeat-ms", "how often a node renews its membership record (default 500)",
              &config::heartbeat_interval, 10),
      ms_flag("membership-ttl-ms", "a member not heard from this long has failed (default 1500)",
              &config::membership_ttl, 50),
      ms_flag("handoff-timeout-ms", "longest a new owner waits for the old one to let a shard go (default 5000)",
              &config::handoff_timeout, 0),
      {"webhook-allow-private", "let webhooks reach loopback/private addresses", true,
       [](config& c, const std::string& v) -> caf::error {
         if (v != "true" && v != "false" && v != "1" && v != "0")
           return config_error("--webhook-allow-private takes true or false, got '" + v + "'");
         c.webhook_allow_private = v == "true" || v == "1";
         return caf::none;
       },
       [](const config& c) { return std::string{c.webhook_allow_private ? "true" : "false"}; }},
      {"webhook-retry-schedule",
       "wait before each webhook attempt, comma-separated (default 0,5s,5m,30m,2h,5h,10h,14h,20h,24h)", false,
       [](config& c, const std::string& v) -> caf::error {
         notification::retry_schedule schedule;
         for (const auto& item : split(v, ',')) {
           auto d = parse_duration(item);
           if (!d)
             return config_error(
                 "--webhook-retry-schedule takes durations like 0,5s,5m,2h (ms, s, m, h; at most "
                 "7 days each), got '" +
                 item + "'");
           schedule.push_back(*d);
         }
         if (schedule.empty() || schedule.size() > 50)
           return config_error("--webhook-retry-schedule needs 1 to 50 durations");
         c.webhook_retry_schedule = std::move(schedule);
         return caf::none;
       },
       [](const config& c) {
         std::string out;
         for (auto d : c.webhook_retry_schedule)
           out += (out.empty() ? "" : ",") + show_duration(d);
         return out;
       }},
      ms_flag("webhook-connect-timeout-ms", "longest a webhook POST waits to connect (default 5000)",
              &config::webhook_connect_timeout, 1),
      ms_flag("webhook-timeout-ms", "longest one webhook POST may take in all (default 15000)",
              &config::webhook_timeout, 1),
      ms_flag("webhook-lease-ms",
              "how long a node holds a webhook delivery it took; another node may take it after (default 60000)",
              &config::webhook_lease, 1),
      ms_flag("webhook-poll-ms", "how often the webhook dispatcher looks for due deliveries (default 1000)",
              &config::webhook_poll_interval, 1),
      int_flag<unsigned>("webhook-threads", "threads that send webhooks (default 4)", &config::webhook_threads, 1, 256),
      int_flag<int>("webhook-breaker-failures", "failures in a row that open an endpoint's breaker (default 5)",
                    &config::webhook_breaker_failures, 1, 1000),
      ms_flag("webhook-breaker-open-ms", "how long an open endpoint breaker postpones deliveries (default 30000)",
              &config::webhook_breaker_open, 1),
      ms_flag("request-timeout-ms", "deadline of one API request (default 5000)", &config::request_timeout, 1),
      ms_flag("actor-idle-timeout-ms", "passivate actors idle this long (default 300000)", &config::actor_idle_timeout,
              1),
      int_flag<std::size_t>("max-resident-actors", "cap on resident actors per node (default 100000)",
                            &config::max_resident_actors, 1, 100'000'000),
      int_flag<std::size_t>("max-body-bytes", "largest request body (default 1048576)", &config::max_body_bytes, 1,
                            64 << 20),
      int_flag<std::size_t>("max-header-bytes", "largest request head (default 16384)", &config::max_header_bytes, 1024,
                            1 << 20),
      int_flag<std::size_t>("max-json-depth", "deepest JSON nesting accepted (default 32)", &config::max_json_depth, 2,
                            512),
      int_flag<unsigned>("http-threads", "HTTP I/O threads (default 2)", &config::http_threads, 1, 256),
      int_flag<unsigned>("actor-threads", "actor scheduler threads (default 0: one per core)", &config::actor_threads,
                         0, 1024),
      int_flag<unsigned>("store-threads", "threads that run blocking store calls (default 32)", &config::store_threads,
                         1, 1024),
      int_flag<std::size_t>("store-queue-limit", "store calls that may wait for a thread before 503 (default 10000)",
                            &config::store_queue_limit, 1, 1'000'000),
      ms_flag("outbox-poll-ms", "how often the outbox relay looks for stragglers (default 200)",
              &config::outbox_poll_interval, 1),
      ms_flag("reminder-lead-ms", "how long before its due date a task is due soon; 0: only overdue (default 3600000)",
              &config::reminder_lead, 0),
      ms_flag("reminder-scan-ms", "how often the reminder wheel reads the timers coming due (default 10000)",
              &config::reminder_scan_interval, 10),
      ms_flag("reminder-horizon-ms", "how far ahead each reminder scan reads; above the scan interval (default 300000)",
              &config::reminder_horizon, 20),
      int_flag<std::size_t>("max-in-flight-requests",
                            "requests one edge works on at once; past it, 503 with Retry-After (default 1024)",
                            &config::max_in_flight_requests, 1, 1'000'000),
      ms_flag("dependency-slow-call-ms",
              "a store, bus or cache call slower than this counts against its breaker; 0: off (default 2000)",
              &config::dependency_slow_call, 0),
      int_flag<std::size_t>("max-event-streams", "live notification streams one edge keeps open (default 1000)",
                            &config::max_event_streams, 1, 1'000'000),
      int_flag<std::size_t>("max-event-streams-per-user", "live notification streams per user per edge (default 5)",
                            &config::max_event_streams_per_user, 1, 1000),
      ms_flag("drain-timeout-ms", "how long SIGTERM waits for in-flight requests (default 20000)",
              &config::drain_timeout, 0),
      {"bootstrap-admin", "EMAIL:PASSWORD of an admin created at start if missing", false,
       [](config& c, const std::string& v) -> caf::error {
         auto colon = v.find(':');
         if (colon == std::string::npos || colon == 0 || colon + 1 == v.size())
           return config_error("--bootstrap-admin must be EMAIL:PASSWORD");
         c.bootstrap_admin = v;
         return caf::none;
       },
       [](const config& c) { return std::string{c.bootstrap_admin ? "(set)" : ""}; }},
      text_flag("jwt-issuer", "the iss of access tokens (default taskflow)", &config::jwt_issuer),
      text_flag("jwt-audience", "the aud of access tokens (default taskflow-api)", &config::jwt_audience),
      path_flag("jwt-private-key-file", "PEM signing key (EC P-256 or RSA); default: keys kept in the store",
                &config::jwt_private_key_file),
      path_flag("key-encryption-key-file",
                "a secret of 32 bytes or more that seals the signing keys kept in the store (default: kept in clear)",
                &config::key_encryption_key_file),
      seconds_flag("access-token-ttl-s", "lifetime of access tokens in seconds (default 900)",
                   &config::access_token_ttl, 10, 86'400),
      seconds_flag("session-ttl-s", "lifetime of a sign-in session in seconds (default 604800)", &config::session_ttl,
                   60, std::int64_t{365} * 86'400),
      seconds_flag("jwt-key-rotation-s", "age at which a new signing key is made (default 2592000)",
                   &config::jwt_key_rotation, 3600, std::int64_t{3650} * 86'400),
      rate_flag("rate-limit-principal", "requests/s and burst per principal (default 1000/2000)",
                &config::principal_rate),
      rate_flag("rate-limit-ip", "anonymous requests/s and burst per client IP (default 100/200)", &config::ip_rate),
      rate_flag("rate-limit-auth", "credential requests/s and burst per client IP (default 5/100)", &config::auth_rate),
      rate_flag("rate-limit-login-failures", "failed sign-ins/s and burst per IP and account (default 0.1/10)",
                &config::login_failure_rate),
      path_flag("ready-file", "once listening, write the address and backends here as KEY=VALUE lines (for scripts)",
                &config::ready_file),
      {"log-level", "debug, info, warn or error (default info)", false,
       [](config& c, const std::string& v) -> caf::error {
         if (v != "debug" && v != "info" && v != "warn" && v != "error")
           return config_error("--log-level must be debug, info, warn or error");
         c.log_level = v;
         return caf::none;
       },
       [](const config& c) { return c.log_level; }},
      url_flag("otlp-endpoint", "OTLP/HTTP collector base URL for traces, e.g. http://127.0.0.1:4318 (default: off)",
               &config::otlp_endpoint, {"http", "https"}),
      {"trace-sample-ratio",
       "share of new traces sampled, 0 to 1; a caller's sampled traceparent always is (default 0.1)", false,
       [](config& c, const std::string& v) -> caf::error {
         char* end = nullptr;
         auto ratio = std::strtod(v.c_str(), &end);
         if (v.empty() || end != v.c_str() + v.size() || !(ratio >= 0.0 && ratio <= 1.0))
           return config_error("--trace-sample-ratio must be a number from 0 to 1");
         c.trace_sample_ratio = ratio;
         return caf::none;
       },
       [](const config& c) {
         std::ostringstream out;
         out << c.trace_sample_ratio;
         return out.str();
       }},
  };
  return all;
}

std::string env_name(const std::string& flag_name) {
  std::string out = "TASKFLOW_";
  for (char ch : flag_name)
    out += ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

caf::error config_error(std::string message) {
  return caf::make_error(caf::sec::invalid_argument, std::move(message));
}

}  // namespace taskflow::runtime
