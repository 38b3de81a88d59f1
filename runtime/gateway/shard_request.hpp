// Asks the node's shard host for one aggregate command and hands the reply,
// or the error a missed deadline or a dead actor maps to, to a callback. A
// short-lived actor per request keeps the caller's thread free and lets CAF
// enforce the deadline.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>

#include "actors/task/task_decider.hpp"
#include "messages/caf_types.hpp"
#include "runtime/atoms.hpp"

namespace taskflow::runtime {

template <class Reply>
Reply error_reply(messages::ErrorCode code, std::string detail) {
  Reply reply;
  *reply.mutable_error() = task::make_error(code, std::move(detail));
  return reply;
}

// Inputs are spawn arguments rather than captures: CAF 0.17 dereferences a
// null argument tuple when a function actor is spawned without arguments.
template <class Command, class Reply>
void shard_request_bridge(caf::event_based_actor* self, caf::actor target, std::chrono::milliseconds deadline,
                          Command command, std::function<void(Reply)> done) {
  self->request(target, deadline, std::move(command))
      .then([done](Reply& reply) { done(std::move(reply)); },
            [done](caf::error& err) {
              if (err == caf::sec::request_timeout)
                done(error_reply<Reply>(messages::ERROR_CODE_DEADLINE_EXCEEDED,
                                        "The actor did not answer within the request deadline."));
              else
                done(error_reply<Reply>(messages::ERROR_CODE_UNAVAILABLE,
                                        "The actor stopped before answering; try again."));
            });
}

template <class Reply, class Command>
void ask_shard_host(caf::actor_system& system, Command command, std::chrono::milliseconds deadline,
                    std::function<void(Reply)> done) {
  auto host = system.registry().get<caf::actor>(shard_host_name);
  if (!host) {
    done(error_reply<Reply>(messages::ERROR_CODE_UNAVAILABLE, "No shard host is running on this node."));
    return;
  }
  system.spawn(shard_request_bridge<Command, Reply>, host, deadline, std::move(command), std::move(done));
}

}  // namespace taskflow::runtime
