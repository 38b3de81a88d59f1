// Sends aggregate commands to the shard host that serves their key, on this
// node or another, and hands each reply (or the error a missed deadline maps
// to) to a callback. A few long-lived router actors (one per core) carry the
// requests, so the caller's thread stays free and no request pays for an
// actor of its own. A router owns each request's retries: when the node
// asked answers "moved" (its shard changed hands), cannot be reached yet, or
// goes down mid-request, the request is resolved again against the newest
// shard table and sent again, with a growing pause, until the deadline.
// Aggregate actors answer a repeated command id with its first outcome, so a
// resend does not apply a command twice on one activation.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>

#include "messages/caf_types.hpp"
#include "messages/trace/span.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/sharding/aggregate_key.hpp"
#include "runtime/sharding/error_reply.hpp"
#include "runtime/sharding/shard_router.hpp"
#include "runtime/sharding/shard_rpc_name.hpp"

namespace taskflow::runtime {

struct shard_request_env {
  // Required: where each key goes (this node's own shard host on a single
  // node, the owner's entry in a cluster).
  std::shared_ptr<const shard_router> router;
  metrics* stats = nullptr;  // optional
};

namespace detail {

// The client side of a command's hop to the node owning its key.
template <class Command>
trace::span hop_span(const Command& command, const std::string& node) {
  auto span = trace::span::start(shard_rpc_name(command), trace::kind::client, command.traceparent());
  if (span.recording())
    span.attr("rpc.system", "caf").attr("rpc.service", "taskflow.ShardHost").attr("taskflow.peer_node", node);
  return span;
}

// How one attempt of a request ended.
enum class attempt_end { answered, moved, timed_out, lost };

// One request in flight, whatever the type of its command. The router keeps
// the attempts and the deadline; the typed part sends and answers.
class pending_request {
public:
  virtual ~pending_request() = default;

  // Sends the command to `target` (on node `remote_node`, empty for this
  // one); `ended` runs on `self` once the attempt is over.
  virtual void send(caf::event_based_actor* self, const caf::actor& target, const std::string& remote_node,
                    std::chrono::milliseconds remaining, std::function<void(attempt_end)> ended) = 0;
  // Hands the answer of the last attempt to the caller.
  virtual void deliver_answer() = 0;
  virtual void deliver_error(messages::ErrorCode code, std::string detail) = 0;

  std::string key;
  std::chrono::steady_clock::time_point deadline;
  int attempt = 0;
  // The remote entry of the attempt in flight.
  caf::actor_addr watched;
  // Why the last attempt did not get an answer, for when time runs out.
  std::string last_failure = "No node serves the key's shard yet.";
};

template <class Command, class Reply>
class typed_request final : public pending_request, public std::enable_shared_from_this<typed_request<Command, Reply>> {
public:
  typed_request(Command command, std::function<void(Reply)> done)
      : command_(std::move(command)), done_(std::move(done)) {}
  // A request dropped unanswered (it was still queued at a router that
  // stopped) still answers its caller.
  ~typed_request() override {
    if (!done_)
      return;
    try {
      deliver(error_reply<Reply>(messages::ERROR_CODE_UNAVAILABLE, "The node is shutting down. Try again."));
    } catch (...) {
    }
  }
  typed_request(const typed_request&) = delete;
  typed_request& operator=(const typed_request&) = delete;

  void send(caf::event_based_actor* self, const caf::actor& target, const std::string& remote_node,
            std::chrono::milliseconds remaining, std::function<void(attempt_end)> ended) override {
    // Each attempt at another node is a client span of its own, whose
    // context the command carries there.
    auto hop = remote_node.empty() ? trace::span{} : hop_span(command_, remote_node);
    auto attempt = command_;
    if (hop.recording())
      attempt.set_traceparent(hop.traceparent());
    // The request may be given up (its node went down) before this answer
    // arrives; the shared handle keeps it valid until then.
    self->request(target, remaining, std::move(attempt))
        .then(
            [me = this->shared_from_this(), ended, hop](Reply& reply) mutable {
              bool moved = reply.has_error() && reply.error().code() == messages::ERROR_CODE_MOVED;
              if (moved)
                hop.fail("moved");
              hop.end();
              me->answer_ = std::move(reply);
              ended(moved ? attempt_end::moved : attempt_end::answered);
            },
            [ended, hop](caf::error& err) mutable {
              hop.fail(caf::to_string(err));
              hop.end();
              ended(err == caf::sec::request_timeout ? attempt_end::timed_out : attempt_end::lost);
            });
  }

  void deliver_answer() override { deliver(std::move(answer_)); }

  void deliver_error(messages::ErrorCode code, std::string detail) override {
    deliver(error_reply<Reply>(code, std::move(detail)));
  }

private:
  // A throwing callback must not take the router, and every request it
  // carries, down with it.
  void deliver(Reply reply) {
    auto done = std::exchange(done_, nullptr);
    if (!done)
      return;
    try {
      done(std::move(reply));
    } catch (...) {
    }
  }

  Command command_;
  std::function<void(Reply)> done_;
  Reply answer_;
};

}  // namespace detail

class shard_requester {
public:
  // `routers` 0: one per core.
  shard_requester(caf::actor_system& system, shard_request_env env, std::size_t routers = 0);
  // Stops the routers; requests still in flight are answered UNAVAILABLE.
  ~shard_requester();
  shard_requester(const shard_requester&) = delete;
  shard_requester& operator=(const shard_requester&) = delete;

  // Deadline overruns come back as ERROR_CODE_DEADLINE_EXCEEDED, a node
  // that never answers as ERROR_CODE_UNAVAILABLE. `done` runs on a router.
  template <class Reply, class Command>
  void ask(Command command, std::chrono::milliseconds deadline, std::function<void(Reply)> done) {
    auto key = key_of(command);
    auto request = std::make_shared<detail::typed_request<Command, Reply>>(std::move(command), std::move(done));
    request->key = std::move(key);
    request->deadline = std::chrono::steady_clock::now() + deadline;
    caf::anon_send(next_router(), std::shared_ptr<detail::pending_request>{std::move(request)});
  }

private:
  const caf::actor& next_router();

  std::vector<caf::actor> routers_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace taskflow::runtime

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::shared_ptr<taskflow::runtime::detail::pending_request>)
