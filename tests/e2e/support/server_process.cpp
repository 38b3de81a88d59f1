#include "tests/e2e/support/server_process.hpp"

#include <atomic>

#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/e2e/support/http_client.hpp"

namespace taskflow::e2e {
namespace fs = std::filesystem;

server_process::server_process(std::vector<std::string> extra_args, std::map<std::string, std::string> env)
    : extra_args_(std::move(extra_args)), env_(std::move(env)) {
  env_.emplace("TASKFLOW_BOOTSTRAP_ADMIN", std::string{test_admin_email} + ":" + test_admin_password);
  static std::atomic<int> counter{0};  // tests start nodes from several threads
  work_dir_ =
      fs::temp_directory_path() / ("taskflow-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(work_dir_);
  fs::create_directories(work_dir_);
  data_dir_ = work_dir_ / "data";
  log_file_ = work_dir_ / "server.log";
  // A node that never became ready is still running: a throwing constructor
  // gets no destructor to stop it.
  try {
    start();
  } catch (...) {
    kill9();
    throw;
  }
}

server_process::~server_process() {
  end_of_test();
  std::error_code ec;
  if (!std::getenv("TASKFLOW_E2E_KEEP"))
    fs::remove_all(work_dir_, ec);
}

void server_process::start() {
  // The constructor has started it already; a second start would orphan the
  // first process, which no destructor would ever stop.
  if (pid_ > 0)
    throw std::logic_error("server_process::start: the server is running (pid " + std::to_string(pid_) + ")");
  std::vector<std::string> args{TASKFLOW_BINARY, "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir_.string()};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  auto offset = fs::exists(log_file_) ? fs::file_size(log_file_) : 0;

  // Everything the child needs is built here, and posix_spawn starts it:
  // after a fork in a multithreaded process (the cluster harness starts
  // nodes from several threads) the child may only make async-signal-safe
  // calls until exec, and an allocation or setenv there can block forever
  // on a lock another thread held at the fork (seen under ASan: a node that
  // never started and never wrote a line).
  std::vector<std::string> environment;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry{*e};
    if (env_.count(std::string{entry.substr(0, entry.find('='))}) == 0)
      environment.emplace_back(entry);
  }
  for (const auto& [k, v] : env_)
    environment.push_back(k + "=" + v);
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : environment)
    envp.push_back(e.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_file_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  int spawned = ::posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = -1;
    throw std::runtime_error(std::string{"cannot start "} + argv[0] + ": " + std::strerror(spawned));
  }

  // The node logs the port it bound; read it from the new part of the log.
  static const std::regex listening{R"re("address":"127\.0\.0\.1:(\d+)")re"};
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds{20};
  port_ = 0;
  while (port_ == 0) {
    if (std::chrono::steady_clock::now() > until)
      throw std::runtime_error("taskflow did not start; log:\n" + log());
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("taskflow exited at start; log:\n" + log());
    }
    std::ifstream in{log_file_};
    in.seekg(static_cast<std::streamoff>(offset));
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (line.find("http_listening") != std::string::npos && std::regex_search(line, m, listening))
        port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  http_client probe{port_};
  while (probe.get("/readyz").status != 200) {
    if (std::chrono::steady_clock::now() > until)
      throw std::runtime_error("taskflow never became ready; log:\n" + log());
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  // The gRPC server starts after the HTTP one: wait for its line too.
  grpc_port_ = 0;
  bool wants_grpc = false;
  for (std::size_t i = 0; i < extra_args_.size(); ++i) {
    if (extra_args_[i] == "--grpc-listen")
      wants_grpc = i + 1 < extra_args_.size() && extra_args_[i + 1] != "off";
    else if (extra_args_[i].rfind("--grpc-listen=", 0) == 0)
      wants_grpc = extra_args_[i] != "--grpc-listen=off";
  }
  // A node without the edge role says it serves none.
  bool declined = false;
  while (wants_grpc && grpc_port_ == 0 && !declined) {
    if (std::chrono::steady_clock::now() > until)
      throw std::runtime_error("taskflow never served gRPC; log:\n" + log());
    std::ifstream in{log_file_};
    in.seekg(static_cast<std::streamoff>(offset));
    for (std::string line; std::getline(in, line);) {
      std::smatch m;
      if (line.find("grpc_listening") != std::string::npos && std::regex_search(line, m, listening))
        grpc_port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
      declined = declined || line.find("grpc_not_served") != std::string::npos;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
}

void server_process::end_of_test() {
#ifdef TASKFLOW_COVERAGE_BUILD
  // The node writes its gcov counts once a second and at a normal exit; a
  // test shorter than a second, killed, would leave none. Bounded, since a
  // client the test still holds open can keep the drain waiting.
  if (pid_ > 0 && ::kill(pid_, SIGTERM) == 0) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
    int status = 0;
    pid_t ended = 0;
    while ((ended = ::waitpid(pid_, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds{10});
    if (ended == pid_)
      pid_ = -1;
  }
#endif
  kill9();
}

void server_process::kill9() {
  if (pid_ <= 0)
    return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

int server_process::terminate() {
  if (pid_ <= 0)
    return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return -WTERMSIG(status);
}

std::string server_process::log() const {
  std::ifstream in{log_file_};
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace taskflow::e2e
