// Runs a program as a user at a shell would (the binaries under test, not a
// server) and collects its exit status, stdout and stderr.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace taskflow::e2e {

struct command_result {
  int status = -1;  // the exit status; -1 when killed by a signal
  std::string out;
  std::string err;
};

// `argv[0]` with the rest as arguments; `env` is set and `unset` removed on
// top of this process's environment.
command_result run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                           const std::vector<std::string>& unset = {});

}  // namespace taskflow::e2e
