// Real PostgreSQL, Redis and nats-server for a test, through the project's
// own tools/stack/stack: free loopback ports, a throw-away directory, and
// everything stopped and deleted when the object goes away. Individual
// servers can be signalled and restarted on their old ports for fault tests.
#pragma once

#include <filesystem>
#include <string>

namespace taskflow::testing {

class test_stack {
public:
  test_stack();
  ~test_stack();
  test_stack(const test_stack&) = delete;
  test_stack& operator=(const test_stack&) = delete;

  const std::string& postgres_url() const { return postgres_; }
  const std::string& nats_url() const { return nats_; }
  const std::string& redis_url() const { return redis_; }

  // name: postgres, redis or nats. stop() waits until the port is closed.
  void stop(const std::string& name);
  void kill(const std::string& name, const std::string& signal);
  void restart(const std::string& name);

  // A new, empty database on the stack's server; returns its URL.
  std::string create_database(const std::string& name) const;

  // The stack shared by every test in this process, started on first use.
  static test_stack& shared();

private:
  void run(const std::string& args) const;
  std::filesystem::path dir_;
  std::string postgres_;
  std::string nats_;
  std::string redis_;
  std::string pg_port_;
  std::string redis_port_;
  std::string nats_port_;
};

}  // namespace taskflow::testing
