#include "tools/taskflowctl/command_line.hpp"

#include <charconv>
#include <map>

namespace taskflow::ctl {

const char* const help_text = R"(taskflowctl: look inside a running TaskFlow node through its admin API.

usage: taskflowctl [--url URL] [--token TOKEN] [--json] COMMAND

commands:
  login [--email EMAIL]               sign in (the password from $TASKFLOW_PASSWORD or a prompt); the
                                      session is kept in ~/.config/taskflow/credentials.json (0600) and
                                      its access token is refreshed by itself
  logout                              end that session and forget it
  cluster status                      nodes, their roles, state, uptime, shards and resident actors
  actors list [--type task|user|session] [--node NODE] [--prefix ID_PREFIX] [--limit N] [--cursor C]
                                      resident actors, one page (the next page's --cursor is printed)
  actors show TYPE ID                 one actor: where it lives, its state and recent events
  actors passivate TYPE ID            deactivate a resident actor (it reactivates on its next message)
  webhooks list                       the webhook dispatcher: deliveries pending (all nodes) and the
                                      endpoints that fail or whose breaker (on the answering node) is open
  webhooks deliveries ID [--limit N] [--cursor C]
                                      one endpoint's delivery log, newest first

options:
  --url URL       the node's base URL (default http://127.0.0.1:8080, or $TASKFLOW_URL)
  --token TOKEN   an admin's access token (default $TASKFLOW_TOKEN); without one, the
                  session of `taskflowctl login` is used
  --json          print the API's JSON instead of tables
  -h, --help      this text
  --version       print the version

exit status: 0 ok, 1 server error or unreachable, 2 usage error, 3 not signed in or not an admin,
             4 no such actor or webhook
)";

namespace {

// Options that take a value, and the commands they belong to (empty: global).
const std::map<std::string, command, std::less<>>& list_options() {
  static const std::map<std::string, command, std::less<>> options{
      {"--type", command::actors_list},  {"--node", command::actors_list},   {"--prefix", command::actors_list},
      {"--limit", command::actors_list}, {"--cursor", command::actors_list}, {"--email", command::login}};
  return options;
}

// --limit and --cursor page webhook deliveries too.
bool pages(command what) {
  return what == command::actors_list || what == command::webhooks_deliveries;
}

std::optional<int> positive(const std::string& text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value <= 0)
    return std::nullopt;
  return value;
}

}  // namespace

std::variant<invocation, usage_error> parse_command_line(const std::vector<std::string>& args, invocation defaults) {
  invocation out = std::move(defaults);
  std::vector<std::string> words;
  std::map<std::string, std::string> list_values;
  bool help = false;
  bool version = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    std::string value;
    bool has_value = false;
    if (arg.rfind("--", 0) == 0) {
      if (auto eq = arg.find('='); eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg.resize(eq);
        has_value = true;
      }
    }
    auto takes_value = arg == "--url" || arg == "--token" || list_options().count(arg) > 0;
    if (takes_value && !has_value) {
      if (i + 1 >= args.size())
        return usage_error{arg + " needs a value"};
      value = args[++i];
    } else if (!takes_value && has_value) {
      return usage_error{arg + " takes no value"};
    }
    if (arg == "-h" || arg == "--help")
      help = true;
    else if (arg == "--version")
      version = true;
    else if (arg == "--json")
      out.json = true;
    else if (arg == "--url")
      out.url = value;
    else if (arg == "--token")
      out.token = value;
    else if (list_options().count(arg))
      list_values[arg] = value;
    else if (arg.size() > 1 && arg[0] == '-')
      return usage_error{"unknown option " + arg};
    else
      words.push_back(arg);
  }
  if (help)
    return out;  // command::help, whatever else was asked
  if (version) {
    out.what = command::version;
    return out;
  }
  if (words.empty())
    return usage_error{"no command given"};

  auto arity = [&](std::size_t n, const char* shape) -> std::optional<usage_error> {
    if (words.size() != n)
      return usage_error{std::string{"usage: taskflowctl "} + shape};
    return std::nullopt;
  };
  if (words[0] == "login" || words[0] == "logout") {
    if (auto e = arity(1, words[0].c_str()))
      return *e;
    out.what = words[0] == "login" ? command::login : command::logout;
  } else if (words[0] == "cluster" && words.size() > 1 && words[1] == "status") {
    if (auto e = arity(2, "cluster status"))
      return *e;
    out.what = command::cluster_status;
  } else if (words[0] == "actors" && words.size() > 1 && words[1] == "list") {
    if (auto e = arity(2, "actors list [--type T] [--node N] [--prefix P] [--limit N] [--cursor C]"))
      return *e;
    out.what = command::actors_list;
  } else if (words[0] == "actors" && words.size() > 1 && (words[1] == "show" || words[1] == "passivate")) {
    auto shape = "actors " + words[1] + " TYPE ID";
    if (auto e = arity(4, shape.c_str()))
      return *e;
    out.what = words[1] == "show" ? command::actors_show : command::actors_passivate;
    if (words[2] != "task" && words[2] != "user" && words[2] != "session")
      return usage_error{"TYPE is task, user or session, not '" + words[2] + "'"};
    out.actor_type = words[2];
    out.actor_id = words[3];
  } else if (words[0] == "webhooks" && words.size() > 1 && words[1] == "list") {
    if (auto e = arity(2, "webhooks list"))
      return *e;
    out.what = command::webhooks_list;
  } else if (words[0] == "webhooks" && words.size() > 1 && words[1] == "deliveries") {
    if (auto e = arity(3, "webhooks deliveries ID [--limit N] [--cursor C]"))
      return *e;
    out.what = command::webhooks_deliveries;
    out.webhook_id = words[2];
  } else {
    std::string line;
    for (const auto& w : words)
      line += (line.empty() ? "" : " ") + w;
    return usage_error{"unknown command: " + line};
  }

  for (const auto& [name, value] : list_values) {
    auto owner = list_options().at(name);
    bool paging = name == "--limit" || name == "--cursor";
    if (owner != out.what && !(paging && pages(out.what)))
      return usage_error{name + (owner == command::login ? " belongs to login" : " belongs to actors list")};
    if (name == "--email")
      out.email = value;
    else if (name == "--type")
      out.type = value;
    else if (name == "--node")
      out.node = value;
    else if (name == "--prefix")
      out.prefix = value;
    else if (name == "--cursor")
      out.cursor = value;
    else if (auto n = positive(value))
      out.limit = n;
    else
      return usage_error{"--limit needs a positive whole number, not '" + value + "'"};
  }
  if (!out.type.empty() && out.type != "task" && out.type != "user" && out.type != "session")
    return usage_error{"--type is task, user or session"};
  if (out.url.empty())
    return usage_error{"--url is empty"};
  return out;
}

}  // namespace taskflow::ctl
