// The commands: each asks the admin API once and prints its answer as a
// table (or the API's JSON with --json). Errors go to stderr, and the exit
// status tells scripts what happened.
#pragma once

#include <ostream>

#include "tools/taskflowctl/admin_client.hpp"
#include "tools/taskflowctl/command_line.hpp"

namespace taskflow::ctl {

enum exit_status : int {
  exit_ok = 0,
  exit_failure = 1,    // the server failed or could not be reached
  exit_usage = 2,      // the command line (or what it asked for) is wrong
  exit_denied = 3,     // no valid credential (401) or not an admin (403)
  exit_not_found = 4,  // no such actor (404)
};

int run(const invocation& what, const admin_client& client, std::ostream& out, std::ostream& err);

}  // namespace taskflow::ctl
