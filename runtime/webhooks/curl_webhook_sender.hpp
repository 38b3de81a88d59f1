// webhook_sender on libcurl, with the SSRF guard: the adapter resolves the
// target's host itself, refuses it when any address it resolves to is
// internal (actors/notification/webhook_address_policy), and pins curl to
// the address it checked (CURLOPT_RESOLVE), so no second lookup can swap in
// another. Redirects are not followed, only http and https are spoken, and
// proxies from the environment are ignored (a proxy would connect for us).
// Blocking: call it on a pool thread.
#pragma once

#include "actors/ports/services/webhook_sender.hpp"

namespace taskflow::runtime {

class curl_webhook_sender final : public ports::webhook_sender {
public:
  // allow_private: --webhook-allow-private, for tests against loopback.
  explicit curl_webhook_sender(bool allow_private);

  caf::expected<int> post(const ports::outbound_post& request) override;

private:
  bool allow_private_;
};

}  // namespace taskflow::runtime
