// taskflowctl: the admin API from a terminal. Reads the environment once
// (TASKFLOW_URL, TASKFLOW_TOKEN), parses the line, takes the saved session's
// token when none was given, runs one command and exits with a status
// scripts can trust (see commands.hpp).
#include <cstdlib>
#include <ctime>
#include <iostream>

#include "tools/taskflowctl/admin_client.hpp"
#include "tools/taskflowctl/command_line.hpp"
#include "tools/taskflowctl/commands.hpp"
#include "tools/taskflowctl/session_grant.hpp"

namespace {

int run_command_line(int argc, char** argv) {
  using namespace taskflow::ctl;
  invocation defaults;
  if (const char* url = std::getenv("TASKFLOW_URL"); url && *url)
    defaults.url = url;
  if (const char* token = std::getenv("TASKFLOW_TOKEN"))
    defaults.token = token;
  auto parsed = parse_command_line({argv + 1, argv + argc}, defaults);
  if (const auto* e = std::get_if<usage_error>(&parsed)) {
    std::cerr << "taskflowctl: " << e->message << "\n(taskflowctl --help lists the commands)\n";
    return exit_usage;
  }
  auto what = std::get<invocation>(parsed);
  auto url = parse_base_url(what.url);
  if (const auto* e = std::get_if<std::string>(&url)) {
    std::cerr << "taskflowctl: " << *e << "\n";
    return exit_usage;
  }
  admin_client client{std::get<base_url>(url), what.token};
  bool needs_token = what.what != command::help && what.what != command::version && what.what != command::login;
  if (what.token.empty() && needs_token) {
    what.token = saved_access_token(client, what.url, std::time(nullptr));
    client.set_token(what.token);
  }
  return run(what, client, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_command_line(argc, argv);
  } catch (const std::exception& e) {
    // Only allocation failures and the like reach here; the HTTP and JSON
    // layers answer errors as values.
    std::cerr << "taskflowctl: " << e.what() << "\n";
    return taskflow::ctl::exit_failure;
  }
}
