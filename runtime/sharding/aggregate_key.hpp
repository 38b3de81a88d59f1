// The key of the aggregate a command is for: "<type>/<id>". Keys name actors
// in the shard host and hash to shards for placement.
#pragma once

#include <string>

#include "messages/identity/session.pb.h"
#include "messages/identity/user.pb.h"
#include "messages/task/task_commands.pb.h"

namespace taskflow::runtime {

inline std::string key_of(const messages::TaskCommand& cmd) {
  return "task/" + cmd.task_id();
}

inline std::string key_of(const messages::UserCommand& cmd) {
  return "user/" + cmd.user_id();
}

inline std::string key_of(const messages::SessionCommand& cmd) {
  return "session/" + cmd.session_id();
}

}  // namespace taskflow::runtime
