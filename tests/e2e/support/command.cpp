#include "tests/e2e/support/command.hpp"

#include <array>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include <sys/wait.h>
#include <unistd.h>

namespace taskflow::e2e {
namespace {

std::string quoted(const std::string& arg) {
  std::string out = "'";
  for (char c : arg)
    out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

}  // namespace

command_result run_command(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                           const std::vector<std::string>& unset) {
  static std::atomic<int> counter{0};
  auto err_file = std::filesystem::temp_directory_path() /
                  ("taskflow-e2e-command-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".err");
  std::string command = "env";
  for (const auto& name : unset)
    command += " -u " + quoted(name);
  for (const auto& [name, value] : env)
    command += " " + quoted(name + "=" + value);
  for (const auto& arg : argv)
    command += " " + quoted(arg);
  command += " 2>" + quoted(err_file.string());
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe)
    throw std::runtime_error("popen failed for " + argv.front());
  command_result r;
  std::array<char, 4096> buffer{};
  while (auto n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    r.out.append(buffer.data(), n);
  int status = ::pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in{err_file};
  r.err.assign(std::istreambuf_iterator<char>{in}, {});
  std::filesystem::remove(err_file);
  return r;
}

}  // namespace taskflow::e2e
