#include "tests/support/test_stack.hpp"

#include "tests/support/tcp_probe.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <thread>

#include <unistd.h>

namespace taskflow::testing {
namespace fs = std::filesystem;

test_stack::test_stack() {
  static int counter = 0;
  dir_ = fs::temp_directory_path() / ("taskflow-stack-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir_);
  run("start");
  std::ifstream env{dir_ / "env"};
  std::string line;
  while (std::getline(env, line)) {
    auto eq = line.find('=');
    if (eq == std::string::npos)
      continue;
    auto key = line.substr(0, eq);
    auto value = line.substr(eq + 1);
    if (key == "TASKFLOW_POSTGRES")
      postgres_ = value;
    else if (key == "TASKFLOW_NATS")
      nats_ = value;
    else if (key == "TASKFLOW_REDIS")
      redis_ = value;
    else if (key == "PG_PORT")
      pg_port_ = value;
    else if (key == "REDIS_PORT")
      redis_port_ = value;
    else if (key == "NATS_PORT")
      nats_port_ = value;
  }
  if (postgres_.empty() || nats_.empty() || redis_.empty())
    throw std::runtime_error("tools/stack/stack wrote no usable env file in " + dir_.string());
}

test_stack::~test_stack() {
  try {
    run("destroy");
  } catch (...) {
    // Cleanup is best effort; the directory lives under the temp dir.
  }
}

void test_stack::run(const std::string& args) const {
  auto command = "'" + std::string{TASKFLOW_STACK_SCRIPT} + "' " + args.substr(0, args.find(' ')) + " '" +
                 dir_.string() + "'" + (args.find(' ') == std::string::npos ? "" : args.substr(args.find(' '))) +
                 " >/dev/null";
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("failed: " + command);
}

void test_stack::stop(const std::string& name) {
  // PostgreSQL's TERM is a smart shutdown that waits for every client to
  // leave; INT is the fast one that ends their sessions, like an outage.
  kill(name, name == "postgres" ? "INT" : "TERM");
  const auto& port = name == "postgres" ? pg_port_ : name == "redis" ? redis_port_ : nats_port_;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds{20};
  while (tcp_accepts("127.0.0.1", static_cast<std::uint16_t>(std::stoi(port))) &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  // The pid file outlives a stopped redis/nats; give the process time to exit.
  std::this_thread::sleep_for(std::chrono::milliseconds{100});
}

void test_stack::kill(const std::string& name, const std::string& signal) {
  run("kill " + name + " " + signal);
}

void test_stack::restart(const std::string& name) {
  run("restart " + name);
}

std::string test_stack::create_database(const std::string& name) const {
  auto command = "psql '" + postgres_ + "' -qAtc 'CREATE DATABASE " + name + "' >/dev/null";
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("failed: " + command);
  return postgres_.substr(0, postgres_.rfind('/') + 1) + name;
}

test_stack& test_stack::shared() {
  // Destroyed at exit, which stops the servers with the test process.
  static test_stack stack;
  return stack;
}

}  // namespace taskflow::testing
