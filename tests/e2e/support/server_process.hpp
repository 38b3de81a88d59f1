// Runs the real taskflow binary for end-to-end tests: on 127.0.0.1 with a port
// the kernel picks, a throw-away data directory, and its stderr (the JSON log)
// captured to a file. Restartable on the same data, killable with SIGKILL.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace taskflow::e2e {

// Every test server has this admin (TASKFLOW_BOOTSTRAP_ADMIN), unless a
// test's own env says otherwise.
inline constexpr auto test_admin_email = "admin@taskflow.test";
inline constexpr auto test_admin_password = "e2e-admin-password";

class server_process {
public:
  explicit server_process(std::vector<std::string> extra_args = {}, std::map<std::string, std::string> env = {});
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  // Starts the binary and waits until /readyz answers 200. The constructor
  // calls it; call it again only after terminate() or kill9().
  void start();
  // SIGKILL: no drain, no flush, as in a crash.
  void kill9();
  // SIGTERM and wait; returns the exit status (or -signal).
  int terminate();
  void restart() {
    kill9();
    start();
  }

  std::uint16_t port() const { return port_; }
  // The gRPC port, for a node started with --grpc-listen; 0 otherwise.
  std::uint16_t grpc_port() const { return grpc_port_; }
  std::string log() const;
  const std::filesystem::path& data_dir() const { return data_dir_; }
  pid_t pid() const { return pid_; }

private:
  // How a test's node ends: kill -9, which is instant and all a test needs,
  // but in the coverage build SIGTERM first (server_process.cpp).
  void end_of_test();

  std::vector<std::string> extra_args_;
  std::map<std::string, std::string> env_;
  std::filesystem::path work_dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path log_file_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t grpc_port_ = 0;
};

}  // namespace taskflow::e2e
