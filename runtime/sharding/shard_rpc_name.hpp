// The name of a command's hop between nodes as a span shows it, the same on
// the sending and the serving side: "<service>/<method>" as OpenTelemetry's
// RPC conventions have it.
#pragma once

#include "messages/identity/session.pb.h"
#include "messages/identity/user.pb.h"
#include "messages/task/task_commands.pb.h"

namespace taskflow::runtime {

inline const char* shard_rpc_name(const messages::TaskCommand&) {
  return "taskflow.ShardHost/TaskCommand";
}
inline const char* shard_rpc_name(const messages::UserCommand&) {
  return "taskflow.ShardHost/UserCommand";
}
inline const char* shard_rpc_name(const messages::SessionCommand&) {
  return "taskflow.ShardHost/SessionCommand";
}

}  // namespace taskflow::runtime
