// The flags of `taskflow serve` and `taskflow config`, as one table: each
// flag's name, help, how it sets the configuration from text and how it
// shows it again. Parsing the command line and the environment
// (config.cpp) only walks this table, so a new flag is one entry here.
#pragma once

#include <charconv>
#include <functional>
#include <string>
#include <system_error>
#include <vector>

#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "runtime/config/config.hpp"

namespace taskflow::runtime {

caf::error config_error(std::string message);

struct flag {
  std::string name;
  std::string help;
  bool boolean = false;
  std::function<caf::error(config&, const std::string&)> set;
  // The value as `taskflow config` shows it: what set() would take back,
  // except that a secret shows only whether it is set.
  std::function<std::string(const config&)> get;
};

// Every flag, in the order `taskflow help` lists them.
const std::vector<flag>& flags();

// TASKFLOW_ and the flag's name in capitals, dashes as underscores.
std::string env_name(const std::string& flag_name);

template <class Int>
caf::expected<Int> parse_int(const std::string& name, const std::string& text, Int min, Int max) {
  Int value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
    return config_error("--" + name + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                        ", got '" + text + "'");
  return value;
}

}  // namespace taskflow::runtime
