// One HTTP connection: read a request head, answer 100-continue when asked,
// read the body within the size limit, hand the request to the pipeline, write
// the answer, and go again while the connection is kept alive. One request at
// a time per connection, so pipelined requests are answered in order. A
// streamed answer (Server-Sent Events) is written in chunks until its stream
// ends, the client closes, or the server drains; then the connection closes.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include "http-edge/problem/problem.hpp"
#include "http-edge/server/http_types.hpp"
#include "http-edge/server/response_stream.hpp"

namespace taskflow::edge {

class http_server;

class http_session : public std::enable_shared_from_this<http_session> {
public:
  http_session(boost::asio::ip::tcp::socket socket, http_server& server);
  void start();
  // Closes the connection if it is waiting for a next request; a request in
  // progress finishes first and then closes because the server is draining;
  // a stream is ended.
  void close_if_idle();

private:
  void read_head();
  void on_head(boost::beast::error_code ec, std::size_t head_bytes);
  void on_body(boost::beast::error_code ec);
  void dispatch();
  void write(http_response res);
  void start_stream(http_response head, std::shared_ptr<response_stream> body);
  void watch_client();
  void beat();
  void pump();
  void write_chunk(std::string data);
  void end_stream(bool graceful);
  void fail_request(boost::beast::error_code ec);
  // Answers `p` and closes: what follows on the connection is not trusted.
  void refuse(problem p);
  void close();
  void linger_close();
  void discard_more();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http_response> pending_;  // kept alive across async_write
  http_server& server_;
  std::string remote_;
  bool idle_ = true;
  bool reading_abandoned_ = false;  // a request was refused mid-stream
  std::size_t head_fields_ = 0;     // the request's fields when its head was read
  std::size_t discard_budget_ = 0;
  // While an answer streams: its source, the heartbeat, and where it stands.
  std::shared_ptr<response_stream> streaming_;
  std::optional<boost::asio::steady_timer> heartbeat_;
  bool stream_chunked_ = false;
  bool chunk_writing_ = false;
  bool stream_waiting_ = false;
  bool stream_ending_ = false;
};

}  // namespace taskflow::edge
