// The OAuth2 client-credentials grant (RFC 6749 §4.4): a registered client
// trades its id and secret for an access token carrying the scopes it asked
// for, within those it was given.
#pragma once

#include <string>
#include <vector>

#include "runtime/identity/identity_context.hpp"

namespace taskflow::runtime {

class client_credentials_grant {
public:
  explicit client_credentials_grant(identity_context& ctx) : ctx_(ctx) {}

  // `scopes` empty: every scope the client was given.
  void issue(std::string client_id, std::string client_secret, std::vector<std::string> scopes,
             outcome_handler<token_grant> done);

private:
  identity_context& ctx_;
};

}  // namespace taskflow::runtime
