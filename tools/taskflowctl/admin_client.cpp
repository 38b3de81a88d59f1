#include "tools/taskflowctl/admin_client.hpp"

#include <cctype>
#include <cstdint>
#include <string>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace taskflow::ctl {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

std::variant<base_url, std::string> parse_base_url(const std::string& url) {
  constexpr std::string_view scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    return std::string{"--url must start with http:// (taskflowctl speaks plain HTTP to a node)"};
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  base_url out;
  out.path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!out.path.empty() && out.path.back() == '/')
    out.path.pop_back();
  std::string port = "80";
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string::npos)
      return std::string{"--url has an unclosed [IPv6] host"};
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':')
        return std::string{"--url has junk after its [IPv6] host"};
      port = authority.substr(close + 2);
    }
  } else {
    auto colon = authority.rfind(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos)
      port = authority.substr(colon + 1);
  }
  if (out.host.empty())
    return std::string{"--url has no host"};
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(port) > 65535)
    return std::string{"--url has a bad port"};
  out.port = port;
  return out;
}

std::string percent_encode(const std::string& text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

admin_client::admin_client(base_url url, std::string token, std::chrono::seconds timeout)
    : url_(std::move(url)), token_(std::move(token)), timeout_(timeout) {}

std::variant<reply, transport_error> admin_client::get(const std::string& target) const {
  return request(method::get, target, {});
}

std::variant<reply, transport_error> admin_client::post(const std::string& target) const {
  return request(method::post, target, {});
}

std::variant<reply, transport_error> admin_client::post_json(const std::string& target, const std::string& body) const {
  return request(method::post, target, body);
}

std::variant<reply, transport_error> admin_client::remove(const std::string& target) const {
  return request(method::remove, target, {});
}

std::variant<reply, transport_error> admin_client::request(method m, const std::string& target,
                                                           const std::string& body) const {
  auto verb = m == method::get ? http::verb::get : m == method::post ? http::verb::post : http::verb::delete_;
  try {
    asio::io_context io;
    asio::ip::tcp::resolver resolver{io};
    beast::tcp_stream stream{io};
    stream.expires_after(timeout_);
    stream.connect(resolver.resolve(url_.host, url_.port));

    http::request<http::string_body> req{verb, url_.path + target, 11};
    auto host = url_.host.find(':') == std::string::npos ? url_.host : "[" + url_.host + "]";
    req.set(http::field::host, host + ":" + url_.port);
    req.set(http::field::user_agent, "taskflowctl");
    req.set(http::field::accept, "application/json");
    if (!token_.empty())
      req.set(http::field::authorization, "Bearer " + token_);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.keep_alive(false);
    req.prepare_payload();
    http::write(stream, req);

    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t{64} * 1024 * 1024);
    http::read(stream, buffer, parser);
    auto res = parser.release();
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    return reply{static_cast<int>(res.result_int()), std::string{res[http::field::content_type]},
                 std::move(res.body())};
  } catch (const std::exception& e) {
    // Boost reports resolve, connect, timeout and parse failures alike as
    // exceptions; to the caller they all mean "no answer from the node".
    return transport_error{e.what()};
  }
}

}  // namespace taskflow::ctl
