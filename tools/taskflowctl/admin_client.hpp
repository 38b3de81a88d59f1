// A small blocking HTTP/1.1 client for the admin and sessions APIs
// (Boost.Beast): one request per call on its own connection, with a deadline,
// to a plain http:// base URL (a node's loopback or in-cluster address; there
// is no TLS here).
#pragma once

#include <chrono>
#include <string>
#include <variant>

namespace taskflow::ctl {

struct base_url {
  std::string host;
  std::string port;
  std::string path;  // prefix before /admin/api, without a trailing slash
};

// Parses http://HOST[:PORT][/PATH]; IPv6 hosts in brackets.
std::variant<base_url, std::string> parse_base_url(const std::string& url);

struct reply {
  int status = 0;
  std::string content_type;
  std::string body;
};

struct transport_error {
  std::string message;
};

class admin_client {
public:
  admin_client(base_url url, std::string token, std::chrono::seconds timeout = std::chrono::seconds{10});

  // `target` is the path and query under the base URL, e.g. "/admin/api/cluster".
  std::variant<reply, transport_error> get(const std::string& target) const;
  std::variant<reply, transport_error> post(const std::string& target) const;
  // POST with a JSON body.
  std::variant<reply, transport_error> post_json(const std::string& target, const std::string& body) const;
  std::variant<reply, transport_error> remove(const std::string& target) const;

  // The access token later calls send (after a sign-in or a refresh).
  void set_token(std::string token) { token_ = std::move(token); }

private:
  enum class method { get, post, remove };
  std::variant<reply, transport_error> request(method m, const std::string& target, const std::string& body) const;

  base_url url_;
  std::string token_;
  std::chrono::seconds timeout_;
};

// Percent-encodes a query or path component (RFC 3986 unreserved characters stay).
std::string percent_encode(const std::string& text);

}  // namespace taskflow::ctl
