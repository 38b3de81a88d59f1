// The async Boost.Beast HTTP/1.1 server: an acceptor and a pool of I/O
// threads. Connections are kept alive; requests on one connection, pipelined
// or not, are answered strictly in order. drain() stops accepting, lets
// in-flight requests finish and closes idle connections.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <caf/expected.hpp>

#include "http-edge/server/request_pipeline.hpp"
#include "http-edge/server/tcp_listener.hpp"

namespace taskflow::edge {

class http_session;

struct server_limits {
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 << 10;
  std::chrono::seconds idle_timeout{60};
  // A client gets this long to send a whole request once it started one.
  std::chrono::seconds read_timeout{30};
};

class http_server {
public:
  http_server(const request_pipeline& pipeline, server_limits limits, const runtime::logger& log);
  ~http_server();

  // Accepts on `listener` with `threads` I/O threads.
  caf::expected<void> start(tcp_listener listener, unsigned threads);

  // Stops accepting, closes idle connections, and waits up to `timeout` for
  // in-flight requests. Returns the number still in flight at the end.
  std::size_t drain(std::chrono::milliseconds timeout);

  // Stops the I/O threads (after drain, or at once).
  void stop();

  const std::atomic<bool>& draining() const { return draining_; }

private:
  friend class http_session;
  void do_accept();
  void track(const std::shared_ptr<http_session>& session);
  void untrack(const std::shared_ptr<http_session>& session);

  const request_pipeline& pipeline_;
  server_limits limits_;
  const runtime::logger& log_;
  boost::asio::io_context ioc_;
  // Keeps the I/O threads running while no socket operation is pending: in a
  // drain, with the acceptor closed and idle connections gone, the sessions
  // that wait for an actor's answer hold no asio work, and run() would return
  // and leave their answers posted to a context nobody runs.
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> in_flight_{0};
  std::mutex sessions_mutex_;
  std::set<std::weak_ptr<http_session>, std::owner_less<std::weak_ptr<http_session>>> sessions_;
};

}  // namespace taskflow::edge
