#include "tools/taskflowctl/terminal_input.hpp"

#include <iostream>

#include <termios.h>
#include <unistd.h>

namespace taskflow::ctl {

std::optional<std::string> ask(const std::string& prompt, bool secret) {
  bool terminal = ::isatty(STDIN_FILENO) != 0;
  if (terminal)
    std::cerr << prompt << std::flush;
  termios saved{};
  bool hidden = terminal && secret && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (hidden) {
    auto quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  bool got = static_cast<bool>(std::getline(std::cin, line));
  if (hidden) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  if (!got)
    return std::nullopt;
  return line;
}

}  // namespace taskflow::ctl
