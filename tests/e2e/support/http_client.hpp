// A blocking HTTP/1.1 client for end-to-end tests, keeping one connection
// alive across requests like a real client would.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace taskflow::e2e {

struct http_result {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
  }
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

class http_client {
public:
  explicit http_client(std::uint16_t port);
  ~http_client();

  http_result request(const std::string& method, const std::string& target, const std::string& body = {},
                      std::map<std::string, std::string> headers = {});
  http_result get(const std::string& target, std::map<std::string, std::string> headers = {}) {
    return request("GET", target, {}, std::move(headers));
  }
  http_result post_json(const std::string& target, const nlohmann::json& body,
                        std::map<std::string, std::string> headers = {}) {
    headers.emplace("Content-Type", "application/json");
    return request("POST", target, body.dump(), std::move(headers));
  }
  http_result patch_json(const std::string& target, const nlohmann::json& body, const std::string& if_match) {
    return request("PATCH", target, body.dump(),
                   {{"Content-Type", "application/merge-patch+json"}, {"If-Match", if_match}});
  }

  // Sent with every request unless the request names the header itself.
  void set_default_header(const std::string& name, const std::string& value) { defaults_[name] = value; }
  void clear_default_header(const std::string& name) { defaults_.erase(name); }

  // Writes raw bytes on a fresh connection and reads until the server closes
  // it or `timeout_ms` passes; for pipelining and malformed-input tests.
  std::string raw_exchange(const std::string& bytes, int timeout_ms = 3000);

private:
  struct impl;
  impl* self_;
  std::map<std::string, std::string> defaults_;
};

// Signs in (POST /api/v1/sessions) and makes the client send the access
// token from then on; returns the whole token answer.
// The status codes of every response in a raw_exchange reply, in order.
std::vector<std::string> statuses_in(const std::string& reply);

nlohmann::json sign_in(http_client& client, const std::string& email, const std::string& password);
nlohmann::json sign_in_as_admin(http_client& client);

// A user a test signed up through the API and acts as.
struct account {
  std::string id;
  std::string token;
  std::string session_id;
  std::map<std::string, std::string> auth() const { return {{"Authorization", "Bearer " + token}}; }
};

// Signs `email` up (display name: the email) and in. The client is left
// sending no Authorization, so each request says whom it acts as.
account sign_up(http_client& client, const std::string& email);
// The same through a connection of its own to the node on `port`.
account sign_up(std::uint16_t port, const std::string& email);

}  // namespace taskflow::e2e
