// A TCP proxy on loopback in front of one server (PostgreSQL here) that
// holds every chunk the server sends for a delay the test sets and changes
// while connections are open: a dependency that answers, but late. Bounded:
// 256 connections in all (more are closed on accept), and every wait wakes
// at least every 50 ms to see whether the proxy is stopping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

namespace taskflow::faults_test {

class delaying_proxy {
public:
  explicit delaying_proxy(std::uint16_t target_port);
  ~delaying_proxy();
  delaying_proxy(const delaying_proxy&) = delete;
  delaying_proxy& operator=(const delaying_proxy&) = delete;

  std::uint16_t port() const { return port_; }
  // Applies to every chunk from the server not yet passed on.
  void set_delay(std::chrono::milliseconds delay) { delay_ms_ = static_cast<int>(delay.count()); }

private:
  void accept_connections();
  void pass(int from, int to, bool delayed);
  bool hold(std::chrono::steady_clock::time_point received) const;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::uint16_t target_port_;
  std::atomic<int> delay_ms_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<int> sockets_;
  std::vector<std::jthread> pumps_;
  std::jthread acceptor_;  // last: stops first
};

}  // namespace taskflow::faults_test
