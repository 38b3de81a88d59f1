#include "runtime/clustering/remote_entry.hpp"

#include "messages/caf_types.hpp"
#include "runtime/sharding/error_reply.hpp"

namespace taskflow::runtime {
namespace {

template <class Reply, class Command>
caf::result<Reply> to_shard_host(caf::event_based_actor* self, const remote_entry_deps& deps, const Command& cmd) {
  auto host = deps.shard_host.current();
  // Restarting: the sender retries, here or on the next owner.
  if (!host)
    return error_reply<Reply>(messages::ERROR_CODE_MOVED, "The shard host of node " + deps.node_id + " is restarting.");
  self->delegate(host, cmd);
  return caf::delegated<Reply>{};
}

}  // namespace

caf::behavior remote_entry(caf::event_based_actor* self, remote_entry_deps deps) {
  // Everything else is for the node's admin agent (messages/admin); it
  // answers what it does not know with an error rather than silence.
  self->set_default_handler([self, agent_handle = deps.admin_agent](caf::scheduled_actor*,
                                                                    caf::message_view& x) -> caf::result<caf::message> {
    auto agent = agent_handle.current();
    if (!agent)
      return caf::make_error(caf::sec::runtime_error, "no admin agent runs on this node");
    auto promise = self->make_response_promise();
    promise.delegate(agent, x.move_content_to_message());
    return promise;
  });
  return {
      [self, deps](const messages::TaskCommand& cmd) { return to_shard_host<messages::TaskReply>(self, deps, cmd); },
      [self, deps](const messages::UserCommand& cmd) { return to_shard_host<messages::UserReply>(self, deps, cmd); },
      [self, deps](const messages::SessionCommand& cmd) {
        return to_shard_host<messages::SessionReply>(self, deps, cmd);
      },
      [remote = deps.remote](cluster::offer_atom, const std::string& peer, const caf::actor& peer_entry) {
        remote->offered(peer, peer_entry);
      },
  };
}

}  // namespace taskflow::runtime
