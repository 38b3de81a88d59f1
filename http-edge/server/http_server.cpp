#include "http-edge/server/http_server.hpp"

#include <boost/asio/post.hpp>
#include <caf/sec.hpp>

#include "http-edge/server/http_session.hpp"
#include "runtime/blocking/thread_roles.hpp"

namespace taskflow::edge {

namespace asio = boost::asio;

http_server::http_server(const request_pipeline& pipeline, server_limits limits, const runtime::logger& log)
    : pipeline_(pipeline), limits_(limits), log_(log) {}

http_server::~http_server() {
  stop();
}

caf::expected<void> http_server::start(tcp_listener listener, unsigned threads) {
  for (unsigned i = 0; i < std::max(1u, threads); ++i) {
    // The hint tells Asio one thread runs the context: it need not wake another.
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    work_.emplace_back(contexts_.back()->get_executor());
  }
  acceptor_.emplace(*contexts_.front());
  boost::system::error_code ec;
  auto port = listener.port();
  acceptor_->assign(listener.ipv6() ? asio::ip::tcp::v6() : asio::ip::tcp::v4(), listener.release(), ec);
  if (ec)
    return caf::make_error(caf::sec::cannot_open_port,
                           "cannot accept on port " + std::to_string(port) + ": " + ec.message());
  do_accept();
  for (auto& context : contexts_)
    threads_.emplace_back([io = context.get()] {
      runtime::name_http_io_thread();
      io->run();
    });
  return caf::unit;
}

void http_server::do_accept() {
  auto& context = *contexts_[next_context_++ % contexts_.size()];
  acceptor_->async_accept(context, [this](boost::system::error_code ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || draining_)
      return;
    if (!ec) {
      boost::system::error_code opt;
      socket.set_option(asio::ip::tcp::no_delay(true), opt);
      auto session = std::make_shared<http_session>(std::move(socket), *this);
      track(session);
      session->start();
    } else {
      // EMFILE and friends: log, keep accepting; refusing to accept would
      // turn a transient fd shortage into an outage.
      log_.warn("accept_failed", {{"error", ec.message()}});
    }
    do_accept();
  });
}

void http_server::track(const std::shared_ptr<http_session>& session) {
  std::lock_guard lock{sessions_mutex_};
  sessions_.insert(session);
}

void http_server::untrack(const std::shared_ptr<http_session>& session) {
  std::lock_guard lock{sessions_mutex_};
  sessions_.erase(session);
}

std::size_t http_server::drain(std::chrono::milliseconds timeout) {
  draining_ = true;
  if (acceptor_)
    asio::post(acceptor_->get_executor(), [this] {
      boost::system::error_code ec;
      acceptor_->close(ec);
    });
  std::vector<std::shared_ptr<http_session>> live;
  {
    std::lock_guard lock{sessions_mutex_};
    for (auto& weak : sessions_)
      if (auto s = weak.lock())
        live.push_back(std::move(s));
  }
  for (auto& s : live)
    s->close_if_idle();
  auto until = std::chrono::steady_clock::now() + timeout;
  while (in_flight_ > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  return in_flight_;
}

void http_server::stop() {
  work_.clear();
  for (auto& context : contexts_)
    context->stop();
  for (auto& t : threads_)
    if (t.joinable())
      t.join();
  threads_.clear();
}

}  // namespace taskflow::edge
