#include "runtime/clustering/remote_entry.hpp"

#include "messages/caf_types.hpp"
#include "messages/trace/span.hpp"
#include "runtime/sharding/error_reply.hpp"
#include "runtime/sharding/shard_rpc_name.hpp"

namespace taskflow::runtime {
namespace {

template <class Reply, class Command>
caf::result<Reply> to_shard_host(caf::event_based_actor* self, const remote_entry_deps& deps, const Command& cmd) {
  auto host = deps.shard_host.current();
  // Restarting: the sender retries, here or on the next owner.
  if (!host)
    return error_reply<Reply>(messages::ERROR_CODE_MOVED, "The shard host of node " + deps.node_id + " is restarting.");
  auto span = trace::span::start(shard_rpc_name(cmd), trace::kind::server, cmd.traceparent());
  if (!span.recording()) {
    self->delegate(host, cmd);
    return caf::delegated<Reply>{};
  }
  // A sampled command waits here for its answer, one message more than a
  // delegation, so that the server span ends when the answer leaves.
  span.attr("rpc.system", "caf").attr("rpc.service", "taskflow.ShardHost").attr("taskflow.node", deps.node_id);
  auto served = cmd;
  served.set_traceparent(span.traceparent());
  auto promise = self->make_response_promise<Reply>();
  self->request(host, caf::infinite, std::move(served))
      .then(
          [promise, span](Reply& reply) mutable {
            if (reply.has_error())
              span.attr("taskflow.error_code", static_cast<std::int64_t>(reply.error().code()));
            span.end();
            promise.deliver(std::move(reply));
          },
          [promise, span](caf::error& err) mutable {
            span.fail(caf::to_string(err)).end();
            promise.deliver(std::move(err));
          });
  return promise;
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
