#include "http-edge/server/http_session.hpp"

#include <array>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include "http-edge/server/http_server.hpp"
#include "http-edge/server/request_framing.hpp"

namespace taskflow::edge {

namespace beast = boost::beast;
namespace asio = boost::asio;

namespace {

// Proxies commonly drop connections quiet for 30-60 s.
constexpr auto heartbeat_interval = std::chrono::seconds{15};

// The head of a streamed answer and its serializer, alive across the write.
struct stream_head {
  http::response<http::empty_body> head;
  http::response_serializer<http::empty_body> serializer{head};
  explicit stream_head(http::response_header<> h) : head(std::move(h)) {}
};

}  // namespace

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
    else if (self->streaming_) {
      self->stream_ending_ = true;
      self->pump();
    }
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
  http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t head_bytes) { self->on_head(ec, head_bytes); });
}

void http_session::on_head(beast::error_code ec, std::size_t head_bytes) {
  if (ec)
    return fail_request(ec);
  // Beast's header limit bounds the request line and the fields each on
  // their own; --max-header-bytes is the whole head's.
  if (head_bytes > server_.limits_.max_header_bytes)
    return fail_request(http::error::header_limit);
  if (auto fault = framing_fault(parser_->get()))
    return refuse(bad_request(*fault));
  head_fields_ = field_count(parser_->get());
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
  if (auto fault = trailer_fault(head_fields_, parser_->get())) {
    --server_.in_flight_;
    return refuse(bad_request(*fault));
  }
  dispatch();
}

void http_session::dispatch() {
  stream_.expires_never();
  auto self = shared_from_this();
  server_.pipeline_.handle(
      parser_->release(), remote_, [self](http_response res, std::shared_ptr<response_stream> body) {
        // Handlers may answer from an actor thread; the stream is only touched
        // from its own strand.
        asio::post(self->stream_.get_executor(), [self, res = std::move(res), body = std::move(body)]() mutable {
          if (body)
            self->start_stream(std::move(res), std::move(body));
          else
            self->write(std::move(res));
        });
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

void http_session::start_stream(http_response res, std::shared_ptr<response_stream> body) {
  streaming_ = std::move(body);
  // A stream that starts while the server drains ends right after its head.
  stream_ending_ = server_.draining_;
  auto head = std::make_shared<stream_head>(std::move(res.base()));
  head->head.erase(http::field::content_length);
  head->head.keep_alive(false);
  // HTTP/1.0 has no chunked encoding; closing the connection ends its body.
  stream_chunked_ = head->head.version() >= 11;
  head->head.chunked(stream_chunked_);
  // Counts as a write in progress, so nothing else is written meanwhile.
  chunk_writing_ = true;
  stream_.expires_after(server_.limits_.read_timeout);
  http::async_write_header(stream_, head->serializer,
                           [self = shared_from_this(), head](beast::error_code ec, std::size_t) {
                             self->chunk_writing_ = false;
                             if (ec)
                               return self->end_stream(false);
                             self->stream_.expires_never();
                             self->heartbeat_.emplace(self->stream_.get_executor());
                             self->beat();
                             self->watch_client();
                             self->pump();
                           });
}

void http_session::watch_client() {
  // Nothing is read while an answer streams, except to learn that the
  // client closed; whatever it sends meanwhile is ignored.
  auto scratch = std::make_shared<std::array<char, 512>>();
  stream_.async_read_some(asio::buffer(*scratch),
                          [self = shared_from_this(), scratch](beast::error_code ec, std::size_t) {
                            if (!self->streaming_)
                              return;
                            if (ec)
                              return self->end_stream(false);
                            self->watch_client();
                          });
}

void http_session::beat() {
  heartbeat_->expires_after(heartbeat_interval);
  heartbeat_->async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || !self->streaming_)
      return;
    if (!self->chunk_writing_ && !self->stream_ending_)
      self->write_chunk(self->streaming_->heartbeat());
    self->beat();
  });
}

void http_session::pump() {
  if (!streaming_ || chunk_writing_)
    return;
  auto chunk = stream_ending_ ? std::nullopt : streaming_->next();
  if (!chunk)
    return end_stream(true);
  if (!chunk->empty())
    return write_chunk(std::move(*chunk));
  if (stream_waiting_)
    return;
  stream_waiting_ = true;
  streaming_->wait([weak = weak_from_this()] {
    if (auto self = weak.lock())
      asio::post(self->stream_.get_executor(), [self] {
        self->stream_waiting_ = false;
        self->pump();
      });
  });
}

void http_session::write_chunk(std::string data) {
  chunk_writing_ = true;
  auto bytes = std::make_shared<std::string>(std::move(data));
  // A client that stops reading must not hold the connection forever.
  stream_.expires_after(server_.limits_.read_timeout);
  auto on_written = [self = shared_from_this(), bytes](beast::error_code ec, std::size_t) {
    self->chunk_writing_ = false;
    if (ec)
      return self->end_stream(false);
    self->stream_.expires_never();
    self->pump();
  };
  if (stream_chunked_)
    asio::async_write(stream_, http::make_chunk(asio::buffer(*bytes)), std::move(on_written));
  else
    asio::async_write(stream_, asio::buffer(*bytes), std::move(on_written));
}

void http_session::end_stream(bool graceful) {
  if (!streaming_)
    return;
  streaming_->close();
  streaming_.reset();
  if (heartbeat_)
    heartbeat_->cancel();
  --server_.in_flight_;
  if (!graceful || !stream_chunked_)
    return close();
  auto last = std::make_shared<http::chunk_last<http::chunk_crlf>>();
  stream_.expires_after(server_.limits_.read_timeout);
  asio::async_write(stream_, *last,
                    [self = shared_from_this(), last](beast::error_code, std::size_t) { self->close(); });
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
  refuse(std::move(*p));
}

void http_session::refuse(problem p) {
  ++server_.in_flight_;
  reading_abandoned_ = true;
  auto self = shared_from_this();
  server_.pipeline_.reject(p, remote_, [self](http_response res) {
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
