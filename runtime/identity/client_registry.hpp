// OAuth2 clients: an admin registers one and gets its secret once; the store
// keeps the secret's SHA-256. The rules are credential::decide_client's.
#pragma once

#include <string>
#include <vector>

#include "runtime/identity/identity_context.hpp"

namespace taskflow::runtime {

class client_registry {
public:
  explicit client_registry(identity_context& ctx) : ctx_(ctx) {}

  void create(const authenticated& who, std::string name, std::vector<std::string> scopes,
              outcome_handler<created_client> done);

private:
  identity_context& ctx_;
};

}  // namespace taskflow::runtime
