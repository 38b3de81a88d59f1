// The first administrator, from TASKFLOW_BOOTSTRAP_ADMIN ("email:password"):
// created at start-up unless a user with that email exists. Nodes of a
// cluster start together with the same setting; the one that loses the race
// finds the account the winner created. Blocks the starting thread, which is
// no scheduler's: the node is not serving yet.
#pragma once

#include <string>

#include <caf/expected.hpp>

#include "actors/ports/identity_store.hpp"
#include "runtime/identity/account_service.hpp"

namespace taskflow::runtime {

// True when it created the account, false when it was there already.
caf::expected<bool> ensure_bootstrap_admin(const std::string& email_and_password, ports::identity_store& identities,
                                           account_service& accounts);

}  // namespace taskflow::runtime
