// The async Boost.Beast HTTP/1.1 server: an acceptor and a pool of I/O
// threads, each running an io_context of its own, to which connections are
// dealt in turn. Connections are kept alive; requests on one connection,
// pipelined or not, are answered strictly in order. drain() stops accepting,
// lets in-flight requests finish and closes idle connections.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
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

  using work_guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

  const request_pipeline& pipeline_;
  server_limits limits_;
  const runtime::logger& log_;
  // One per I/O thread, run by that thread alone, so a connection's handlers
  // never run at once and the context is the connection's strand. Two threads
  // sharing one context woke each other for every hand-off: a refused request
  // cost about 13 % more node CPU than with one (docs/benchmarks.md, B10).
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  // Keep the I/O threads running while no socket operation is pending: in a
  // drain, with the acceptor closed and idle connections gone, the sessions
  // that wait for an actor's answer hold no asio work, and run() would return
  // and leave their answers posted to a context nobody runs.
  std::vector<work_guard> work_;
  std::optional<boost::asio::ip::tcp::acceptor> acceptor_;  // on the first context
  std::size_t next_context_ = 0;                            // touched only by the acceptor's handler
  std::vector<std::thread> threads_;
  std::atomic<bool> draining_{false};
  std::atomic<std::size_t> in_flight_{0};
  std::mutex sessions_mutex_;
  std::set<std::weak_ptr<http_session>, std::owner_less<std::weak_ptr<http_session>>> sessions_;
};

}  // namespace taskflow::edge
