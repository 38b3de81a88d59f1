#include "runtime/config/config.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "runtime/config/config_flags.hpp"

namespace taskflow::runtime {

bool config::has_role(const std::string& role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

caf::expected<host_port> parse_host_port(const std::string& flag, const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return config_error("--" + flag + " expects HOST:PORT, got '" + text + "'");
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  auto port = parse_int<unsigned>("port", text.substr(colon + 1), 0, 65535);
  if (!port)
    return config_error("--" + flag + " expects HOST:PORT with a port from 0 to 65535, got '" + text + "'");
  return host_port{host, static_cast<std::uint16_t>(*port)};
}

caf::expected<parsed_command> parse_command_line(const std::vector<std::string>& args, const env_lookup& env) {
  parsed_command out;
  out.command = args.empty() ? "help" : args.front();
  if (out.command == "--help" || out.command == "-h")
    out.command = "help";
  if (out.command == "--version")
    out.command = "version";
  if (out.command == "version")
    return out;
  if (out.command != "serve" && out.command != "config" && out.command != "help")
    return config_error("unknown command '" + out.command + "' (try: taskflow help)");

  for (const auto& f : flags()) {
    if (auto value = env(env_name(f.name)); value && !value->empty()) {
      if (auto err = f.set(out.cfg, *value))
        return config_error(env_name(f.name) + ": " + to_string(err));
    }
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      out.command = "help";
      return out;
    }
    if (arg.rfind("--", 0) != 0)
      return config_error("unexpected argument '" + arg + "'");
    auto eq = arg.find('=');
    std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
    auto it = std::find_if(flags().begin(), flags().end(), [&](const flag& f) { return f.name == name; });
    if (it == flags().end())
      return config_error("unknown flag --" + name + " (try: taskflow help)");
    std::string value;
    if (eq != std::string::npos)
      value = arg.substr(eq + 1);
    else if (it->boolean)
      value = "true";
    else if (i + 1 < args.size())
      value = args[++i];
    else
      return config_error("--" + name + " needs a value");
    if (auto err = it->set(out.cfg, value))
      return err;
  }
  if (out.cfg.node_id.empty()) {
    // Under a StatefulSet the host name is the pod name: stable across restarts.
    std::array<char, 256> host{};
    if (gethostname(host.data(), host.size() - 1) == 0 && host[0] != '\0')
      out.cfg.node_id = host.data();
    else
      out.cfg.node_id = "node-1";
  }
  if (out.cfg.heartbeat_interval * 2 > out.cfg.membership_ttl)
    return config_error(
        "--membership-ttl-ms must be at least twice --heartbeat-ms, or one late heartbeat "
        "would count as a failed node");
  if (out.cfg.reminder_horizon <= out.cfg.reminder_scan_interval)
    return config_error(
        "--reminder-horizon-ms must be above --reminder-scan-ms, or timers due between two scans "
        "would ring late");
  if (out.cfg.webhook_lease < out.cfg.webhook_timeout * 2)
    return config_error(
        "--webhook-lease-ms must be at least twice --webhook-timeout-ms, or a delivery still being sent "
        "could be taken and sent again by another node");
  if (out.cfg.actor_threads == 0)
    out.cfg.actor_threads = std::max(1u, std::thread::hardware_concurrency());
  return out;
}

std::string usage() {
  std::ostringstream out;
  out << "usage: taskflow serve [flags]    run a node\n"
         "       taskflow config [flags]   print the configuration those flags and the\n"
         "                                 environment give, one NAME=VALUE a line\n"
         "       taskflow --version        print the version\n\n"
         "Every flag can also be set through the environment variable named after it,\n"
         "e.g. --listen is TASKFLOW_LISTEN. Flags win over the environment.\n\n";
  for (const auto& f : flags()) {
    std::string left = "  --" + f.name + (f.boolean ? "" : " VALUE");
    left.resize(std::max<std::size_t>(left.size() + 2, 34), ' ');
    out << left << f.help << "  [" << env_name(f.name) << "]\n";
  }
  return out.str();
}

std::string describe(const config& cfg) {
  std::string out;
  for (const auto& f : flags())
    out += f.name + "=" + f.get(cfg) + "\n";
  return out;
}

std::string without_password(std::string_view url) {
  std::string out{url};
  if (auto scheme = out.find("://"); scheme != std::string::npos) {
    auto authority = scheme + 3;
    auto at = out.find('@', authority);
    auto end = out.find_first_of("/?#", authority);
    if (at != std::string::npos && (end == std::string::npos || at < end)) {
      auto colon = out.find(':', authority);
      if (colon != std::string::npos && colon < at)
        out.erase(colon, at - colon);
    }
  }
  // libpq's key=value form, and a password passed as a URL parameter.
  for (std::size_t at = 0; (at = out.find("password=", at)) != std::string::npos;) {
    bool key_start = at == 0 || out[at - 1] == ' ' || out[at - 1] == '?' || out[at - 1] == '&';
    if (!key_start) {
      at += 9;
      continue;
    }
    auto value = at + 9;
    auto end = value;
    if (end < out.size() && out[end] == '\'') {
      for (++end; end < out.size() && out[end] != '\''; ++end)
        if (out[end] == '\\')
          ++end;
      end = std::min(out.size(), end + 1);
    } else {
      end = out.find_first_of(" &#", value);
      if (end == std::string::npos)
        end = out.size();
    }
    out.replace(value, end - value, "(hidden)");
    at = value;
  }
  return out;
}

}  // namespace taskflow::runtime
