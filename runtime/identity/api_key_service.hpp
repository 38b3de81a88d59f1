// API keys: a signed-in user makes one (shown once, stored as its SHA-256) or
// revokes one; the rules are credential::decide_api_key's. A revocation
// evicts the key from this edge's cache at once, and the event it publishes
// evicts it from the others'.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/identity/identity_context.hpp"

namespace taskflow::runtime {

class api_key_service {
public:
  explicit api_key_service(identity_context& ctx) : ctx_(ctx) {}

  void create(const authenticated& who, std::string name, std::vector<std::string> scopes,
              outcome_handler<created_api_key> done);
  void revoke(const authenticated& who, std::string key_id, std::string traceparent, outcome_handler<bool> done);

private:
  identity_context& ctx_;
};

// Every key starts so, which tells a key from a token at a glance.
inline constexpr std::string_view api_key_marker = "tfk_";

}  // namespace taskflow::runtime
