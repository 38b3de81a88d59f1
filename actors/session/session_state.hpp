// The state a session actor holds between messages: the snapshot plus the
// refresh-token family's hashes, which never leave the actor and the store.
#pragma once

#include <string>
#include <vector>

#include "messages/identity/session.pb.h"

namespace taskflow::session {

struct session_state {
  messages::SessionSnapshot snapshot;  // version 0: never opened
  std::string refresh_hash;            // the one refresh token that may be used next
  // Hashes of rotated-out tokens, newest last: presenting one means a token
  // was stolen or replayed, and the whole session is revoked.
  std::vector<std::string> spent_hashes;

  bool exists() const { return snapshot.version() > 0; }
  bool active_at(std::int64_t now_ms) const {
    return exists() && !snapshot.revoked() && now_ms < snapshot.expires_at_ms();
  }
};

}  // namespace taskflow::session
