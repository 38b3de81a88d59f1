// What the admin API shows of a session actor's state: the snapshot only,
// never the current or spent refresh-token hashes kept beside it.
#pragma once

#include "actors/session/session_state.hpp"
#include "messages/admin/admin.pb.h"

namespace taskflow::session {

messages::AggregateState admin_view(const session_state& state);

}  // namespace taskflow::session
