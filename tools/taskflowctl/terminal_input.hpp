// What `taskflowctl login` asks a person for. On a terminal the prompt goes
// to stderr and a secret is read with echo off; from a pipe, one line is read
// as it is, so scripts can feed it.
#pragma once

#include <optional>
#include <string>

namespace taskflow::ctl {

// Nothing at end of input.
std::optional<std::string> ask(const std::string& prompt, bool secret);

}  // namespace taskflow::ctl
