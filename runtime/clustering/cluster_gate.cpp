#include "runtime/clustering/cluster_gate.hpp"

#include "actors/task/task_decider.hpp"
#include "messages/caf_types.hpp"
#include "runtime/atoms.hpp"

namespace taskflow::runtime {
namespace {

template <class Reply, class Command>
caf::result<Reply> to_shard_host(caf::event_based_actor* self, const std::string& node_id, const Command& cmd) {
  auto host = self->system().registry().get<caf::actor>(shard_host_name);
  if (!host) {
    // Restarting: the sender retries, here or on the next owner.
    Reply reply;
    *reply.mutable_error() =
        task::make_error(messages::ERROR_CODE_MOVED, "The shard host of node " + node_id + " is restarting.");
    return reply;
  }
  self->delegate(host, cmd);
  return caf::delegated<Reply>{};
}

}  // namespace

caf::behavior cluster_gate(caf::event_based_actor* self, std::string node_id) {
  // A request of a kind this node does not know (a newer peer's) is answered
  // sec::unexpected_message rather than left to time out.
  self->set_default_handler(caf::drop);
  return {
      [self, node_id](const messages::TaskCommand& cmd) {
        return to_shard_host<messages::TaskReply>(self, node_id, cmd);
      },
      [self, node_id](const messages::UserCommand& cmd) {
        return to_shard_host<messages::UserReply>(self, node_id, cmd);
      },
      [self, node_id](const messages::SessionCommand& cmd) {
        return to_shard_host<messages::SessionReply>(self, node_id, cmd);
      },
  };
}

}  // namespace taskflow::runtime
