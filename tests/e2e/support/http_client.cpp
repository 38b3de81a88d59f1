#include "tests/e2e/support/http_client.hpp"

#include "tests/e2e/support/server_process.hpp"

#include <algorithm>
#include <cctype>

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

namespace taskflow::e2e {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

struct http_client::impl {
  asio::io_context ioc;
  std::uint16_t port;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  void connect() {
    stream.emplace(ioc);
    stream->connect(asio::ip::tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
    buffer.clear();
  }
};

http_client::http_client(std::uint16_t port) : self_(new impl) {
  self_->port = port;
}

http_client::~http_client() {
  delete self_;
}

http_result http_client::request(const std::string& method, const std::string& target, const std::string& body,
                                 std::map<std::string, std::string> headers) {
  for (const auto& [name, value] : defaults_)
    headers.emplace(name, value);
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (!self_->stream)
        self_->connect();
      http::request<http::string_body> req{http::string_to_verb(method), target, 11};
      req.set(http::field::host, "127.0.0.1");
      for (const auto& [k, v] : headers)
        req.set(k, v);
      req.body() = body;
      if (!body.empty() || method == "POST" || method == "PATCH")
        req.prepare_payload();
      self_->stream->expires_after(std::chrono::seconds{30});
      http::write(*self_->stream, req);
      http::response_parser<http::string_body> parser;
      parser.body_limit(64 << 20);
      if (method == "HEAD")
        parser.skip(true);
      http::read(*self_->stream, self_->buffer, parser);
      auto res = parser.release();
      http_result out;
      out.status = res.result_int();
      for (const auto& field : res) {
        std::string name{field.name_string()};
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        out.headers[name] = std::string{field.value()};
      }
      out.body = std::move(res.body());
      if (!res.keep_alive())
        self_->stream.reset();
      return out;
    } catch (const boost::system::system_error&) {
      // The server closed an idle keep-alive connection; reconnect once.
      self_->stream.reset();
      if (attempt == 1)
        throw;
    }
  }
  return {};
}

std::string http_client::raw_exchange(const std::string& bytes, int timeout_ms) {
  beast::tcp_stream s{self_->ioc};
  s.connect(asio::ip::tcp::endpoint{asio::ip::make_address("127.0.0.1"), self_->port});
  // Synchronous reads ignore tcp_stream's expiry; a socket timeout bounds them.
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(s.socket().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  // The server may answer and stop reading before we finished sending (413,
  // 431); what it answered is still there to read.
  boost::system::error_code write_error;
  asio::write(s, asio::buffer(bytes), write_error);
  std::string out;
  char chunk[4096];
  for (;;) {
    boost::system::error_code ec;
    auto n = s.read_some(asio::buffer(chunk), ec);
    out.append(chunk, n);
    if (ec)
      break;
  }
  return out;
}

nlohmann::json sign_in(http_client& client, const std::string& email, const std::string& password) {
  client.clear_default_header("Authorization");
  auto res = client.post_json("/api/v1/sessions", {{"email", email}, {"password", password}});
  if (res.status != 201)
    throw std::runtime_error("sign-in as " + email + " failed: " + std::to_string(res.status) + " " + res.body);
  auto grant = res.json();
  client.set_default_header("Authorization", "Bearer " + grant["access_token"].get<std::string>());
  return grant;
}

nlohmann::json sign_in_as_admin(http_client& client) {
  return sign_in(client, test_admin_email, test_admin_password);
}

}  // namespace taskflow::e2e
