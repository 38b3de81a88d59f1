// Accounts: registering a user (the password is hashed on the identity pool,
// then the user actor decides) and reading the caller's own account.
#pragma once

#include <string>

#include "messages/identity/user.pb.h"
#include "runtime/identity/identity_context.hpp"

namespace taskflow::runtime {

class account_service {
public:
  explicit account_service(identity_context& ctx) : ctx_(ctx) {}

  void register_user(registration request, std::string traceparent, outcome_handler<messages::UserSnapshot> done);
  void current_user(const authenticated& who, outcome_handler<messages::UserSnapshot> done);

private:
  void ask_user(messages::UserCommand command, outcome_handler<messages::UserSnapshot> done);

  identity_context& ctx_;
};

}  // namespace taskflow::runtime
