#include "tests/e2e/support/http_client.hpp"

#include "tests/e2e/support/server_process.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

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

// Every exchange is bounded: tcp_stream's expiry cancels only asynchronous
// operations (a synchronous read ignores it, and asio polls past
// SO_RCVTIMEO), so the client runs async operations to completion on its
// own io_context. A node that never answers then fails the test with a
// timeout instead of hanging it.
constexpr std::chrono::seconds request_timeout{30};

struct http_client::impl {
  asio::io_context ioc;
  std::uint16_t port;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  // Runs the operation started by `start` (which calls back with an error
  // code) to completion and returns that error code.
  template <typename Start>
  beast::error_code complete(Start start) {
    beast::error_code result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run();
    return result;
  }

  void connect(beast::tcp_stream& s) {
    s.expires_after(request_timeout);
    asio::ip::tcp::endpoint to{asio::ip::make_address("127.0.0.1"), port};
    if (auto ec = complete([&](auto done) { s.async_connect(to, done); }))
      throw boost::system::system_error{ec};
  }

  void connect() {
    stream.emplace(ioc);
    connect(*stream);
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
      self_->stream->expires_after(request_timeout);
      if (auto ec = self_->complete([&](auto done) { http::async_write(*self_->stream, req, done); }))
        throw boost::system::system_error{ec};
      http::response_parser<http::string_body> parser;
      parser.body_limit(64 << 20);
      if (method == "HEAD")
        parser.skip(true);
      if (auto ec = self_->complete([&](auto done) { http::async_read(*self_->stream, self_->buffer, parser, done); }))
        throw boost::system::system_error{ec};
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
    } catch (const boost::system::system_error& e) {
      // The server closed an idle keep-alive connection; reconnect once. A
      // request that timed out is not sent again.
      self_->stream.reset();
      if (attempt == 1 || e.code() == beast::error::timeout)
        throw;
    }
  }
  return {};
}

std::string http_client::raw_exchange(const std::string& bytes, int timeout_ms) {
  beast::tcp_stream s{self_->ioc};
  self_->connect(s);
  s.expires_after(std::chrono::milliseconds{timeout_ms});
  // The server may answer and stop reading before we finished sending (413,
  // 431); what it answered is still there to read.
  self_->complete([&](auto done) { asio::async_write(s, asio::buffer(bytes), done); });
  std::string out;
  char chunk[4096];
  for (;;) {
    std::size_t n = 0;
    auto ec = self_->complete([&](auto done) {
      s.async_read_some(asio::buffer(chunk), [&n, done](beast::error_code e, std::size_t got) {
        n = got;
        done(e);
      });
    });
    out.append(chunk, n);
    if (ec)
      break;
  }
  return out;
}

std::vector<std::string> statuses_in(const std::string& reply) {
  // Response after response: a status line, a head, then Content-Length bytes
  // of body, which may well mention HTTP/1.1 itself.
  std::vector<std::string> out;
  std::size_t at = 0;
  while (reply.compare(at, 7, "HTTP/1.") == 0 && at + 12 <= reply.size()) {
    out.push_back(reply.substr(at + 9, 3));
    auto head_end = reply.find("\r\n\r\n", at);
    if (head_end == std::string::npos)
      break;
    auto head = reply.substr(at, head_end - at);
    std::transform(head.begin(), head.end(), head.begin(), [](unsigned char c) { return std::tolower(c); });
    std::size_t length = 0;
    if (auto field = head.find("\r\ncontent-length:"); field != std::string::npos)
      length = std::stoul(head.substr(field + 17));
    at = head_end + 4 + length;
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

account sign_up(http_client& client, const std::string& email) {
  const std::string password = "a long passphrase";
  client.clear_default_header("Authorization");
  auto res = client.post_json("/api/v1/users", {{"email", email}, {"password", password}, {"display_name", email}});
  if (res.status != 201)
    throw std::runtime_error("sign-up as " + email + " failed: " + std::to_string(res.status) + " " + res.body);
  auto grant = sign_in(client, email, password);
  client.clear_default_header("Authorization");
  return {res.json()["id"], grant["access_token"], grant.value("session_id", "")};
}

account sign_up(std::uint16_t port, const std::string& email) {
  http_client client{port};
  return sign_up(client, email);
}

}  // namespace taskflow::e2e
