// What the admin API shows of a user actor's state: the snapshot only. The
// password hash lives beside it in user_state and is left out here, so no
// admin answer can carry it.
#pragma once

#include "actors/user/user_state.hpp"
#include "messages/admin/admin.pb.h"

namespace taskflow::user {

messages::AggregateState admin_view(const user_state& state);

}  // namespace taskflow::user
