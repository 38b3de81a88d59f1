// The state a user actor holds between messages. The password hash lives
// beside the snapshot, never inside it: snapshots are what replies, events and
// the admin console show.
#pragma once

#include <string>

#include "messages/identity/user.pb.h"

namespace taskflow::user {

struct user_state {
  messages::UserSnapshot snapshot;  // version 0: never registered
  std::string password_hash;

  bool exists() const { return snapshot.version() > 0; }
};

}  // namespace taskflow::user
