// Sessions: sign-in (the password is checked on the identity pool, then the
// session actor opens the session), refresh-token rotation and sign-out. The
// access tokens are signed here; a session that ends is refused on this edge
// at once, before its revocation event comes round.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "messages/identity/session.pb.h"
#include "runtime/identity/identity_context.hpp"

namespace taskflow::runtime {

class session_service {
public:
  explicit session_service(identity_context& ctx) : ctx_(ctx) {}

  // `device_id`: the device a valid device token named, kept in the new one;
  // empty for a client without one, which gets a new device.
  void sign_in(std::string email, std::string password, std::string device_id, std::string traceparent,
               outcome_handler<token_grant> done);
  // The device a sign-in's device token names, if it is valid for `email`.
  std::optional<std::string> device_of(std::string_view device_token, const std::string& email) const;
  void refresh(std::string refresh_token, std::string traceparent, outcome_handler<token_grant> done);
  void sign_out(const authenticated& who, std::string traceparent, outcome_handler<bool> done);

private:
  outcome<token_grant> issue_tokens(const messages::SessionSnapshot& session, std::string refresh_token) const;
  void ask_session(messages::SessionCommand command, std::function<void(messages::SessionReply)> done);
  void remember_revocation(const messages::SessionSnapshot& session) const;

  identity_context& ctx_;
};

}  // namespace taskflow::runtime
