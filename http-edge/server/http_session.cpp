#include "http-edge/server/http_session.hpp"

#include <array>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "http-edge/server/http_server.hpp"

namespace taskflow::edge {

namespace beast = boost::beast;
namespace asio = boost::asio;

http_session::http_session(asio::ip::tcp::socket socket, http_server& server)
    : stream_(std::move(socket)), server_(server) {
  beast::error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec)
    remote_ = endpoint.address().to_string();
}

void http_session::start() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_head(); });
}

void http_session::close_if_idle() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    if (self->idle_)
      self->close();
  });
}

void http_session::read_head() {
  if (server_.draining_) {
    close();
    return;
  }
  idle_ = true;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(server_.limits_.max_header_bytes));
  parser_->body_limit(server_.limits_.max_body_bytes);
  stream_.expires_after(server_.limits_.idle_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_head(ec); });
}

void http_session::on_head(beast::error_code ec) {
  if (ec)
    return fail_request(ec);
  idle_ = false;
  ++server_.in_flight_;
  stream_.expires_after(server_.limits_.read_timeout);
  auto& req = parser_->get();
  // Clients such as curl wait for this before sending a large body.
  if (beast::iequals(req[http::field::expect], "100-continue")) {
    auto cont = std::make_shared<http::response<http::empty_body>>(http::status::continue_, req.version());
    http::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
      if (wec) {
        --self->server_.in_flight_;
        return self->close();
      }
      http::async_read(self->stream_, self->buffer_, *self->parser_,
                       [self](beast::error_code rec, std::size_t) { self->on_body(rec); });
    });
    return;
  }
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code rec, std::size_t) { self->on_body(rec); });
}

void http_session::on_body(beast::error_code ec) {
  if (ec) {
    --server_.in_flight_;
    return fail_request(ec);
  }
  dispatch();
}

void http_session::dispatch() {
  stream_.expires_never();
  auto self = shared_from_this();
  server_.pipeline_.handle(parser_->release(), remote_, [self](http_response res) {
    // Handlers may answer from an actor thread; the stream is only touched
    // from its own strand.
    asio::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
  });
}

void http_session::write(http_response res) {
  if (server_.draining_)
    res.keep_alive(false);
  pending_ = std::make_shared<http_response>(std::move(res));
  stream_.expires_after(server_.limits_.read_timeout);
  http::async_write(stream_, *pending_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    --self->server_.in_flight_;
    bool keep = !ec && self->pending_->keep_alive();
    self->pending_.reset();
    if (keep)
      self->read_head();
    else if (self->reading_abandoned_)
      self->linger_close();
    else
      self->close();
  });
}

void http_session::linger_close() {
  // Closing a socket with unread input makes the kernel send RST, and the
  // client may then lose the answer it has not read yet (e.g. our 413). So
  // stop sending, then read and discard what the client is still sending,
  // for a bounded time and amount, before closing.
  beast::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  stream_.expires_after(std::chrono::seconds{2});
  discard_budget_ = 4 << 20;
  discard_more();
}

void http_session::discard_more() {
  auto scratch = std::make_shared<std::array<char, 16384>>();
  stream_.async_read_some(asio::buffer(*scratch),
                          [self = shared_from_this(), scratch](beast::error_code ec, std::size_t n) {
                            if (ec || n >= self->discard_budget_)
                              return self->close();
                            self->discard_budget_ -= n;
                            self->discard_more();
                          });
}

void http_session::fail_request(beast::error_code ec) {
  // A parse error leaves the stream out of sync; answer once, then close.
  std::optional<problem> p;
  if (ec == http::error::body_limit)
    p = payload_too_large(server_.limits_.max_body_bytes);
  else if (ec == http::error::header_limit)
    p = headers_too_large();
  else if (ec.category() == http::make_error_code(http::error::bad_target).category() &&
           ec != http::error::end_of_stream && ec != http::error::partial_message)
    p = bad_request("The request is not valid HTTP/1.1: " + ec.message() + ".");
  if (!p) {
    close();
    return;
  }
  ++server_.in_flight_;
  reading_abandoned_ = true;
  auto self = shared_from_this();
  server_.pipeline_.reject(*p, remote_, [self](http_response res) {
    asio::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable {
      res.keep_alive(false);
      self->write(std::move(res));
    });
  });
}

void http_session::close() {
  beast::error_code ec;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
  stream_.close();
  server_.untrack(shared_from_this());
}

}  // namespace taskflow::edge
