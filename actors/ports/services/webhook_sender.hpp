// Port: one outbound webhook POST. Blocking (it waits on the network), so
// the dispatcher calls it on a bounded pool of its own, never on a CAF
// worker. Behind a port so the dispatcher is tested without a network; the
// adapter (runtime/webhooks/curl_webhook_sender) owns the SSRF guard.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

namespace taskflow::ports {

struct outbound_post {
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds{5}};
  std::chrono::milliseconds total_timeout{std::chrono::seconds{15}};
};

class webhook_sender {
public:
  virtual ~webhook_sender() = default;

  // The receiver's status code; an error when no answer came (refused
  // address, DNS, connect, TLS, timeout), its text saying which.
  virtual caf::expected<int> post(const outbound_post& request) = 0;
};

}  // namespace taskflow::ports
