// taskflowctl's command line: global options (anywhere on the line), the
// command and its own options, checked into one invocation or a usage error.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace taskflow::ctl {

enum class command {
  help,
  version,
  login,
  logout,
  cluster_status,
  actors_list,
  actors_show,
  actors_passivate,
  webhooks_list,
  webhooks_deliveries
};

struct invocation {
  command what = command::help;
  std::string url = "http://127.0.0.1:8080";
  std::string token;  // empty: send no Authorization header
  bool json = false;
  // actors list
  std::string type;
  std::string node;
  std::string prefix;
  std::string cursor;
  std::optional<int> limit;
  // login: empty asks (or takes $TASKFLOW_EMAIL)
  std::string email;
  // actors show / passivate
  std::string actor_type;
  std::string actor_id;
  // webhooks deliveries (--limit and --cursor as for actors list)
  std::string webhook_id;
};

struct usage_error {
  std::string message;
};

// `defaults` carries what the environment gave (TASKFLOW_URL, TASKFLOW_TOKEN);
// options on the line win over it.
std::variant<invocation, usage_error> parse_command_line(const std::vector<std::string>& args, invocation defaults);

extern const char* const help_text;

}  // namespace taskflow::ctl
