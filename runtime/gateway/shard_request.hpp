// Sends one aggregate command to the shard host that serves its key, on this
// node or another, and hands the reply (or the error a missed deadline maps
// to) to a callback. A short-lived actor per request keeps the caller's
// thread free and owns the retries: when the node asked answers "moved"
// (its shard changed hands), cannot be reached yet, or goes down mid-request,
// the request is resolved again against the newest shard table and sent
// again, with a growing pause, until the deadline. Aggregate actors answer a
// repeated command id with its first outcome, so a resend does not apply a
// command twice on one activation.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>

#include "messages/caf_types.hpp"
#include "runtime/atoms.hpp"
#include "runtime/observability/metrics.hpp"
#include "runtime/routing/shard_router.hpp"
#include "runtime/sharding/aggregate_key.hpp"
#include "runtime/sharding/error_reply.hpp"

namespace taskflow::runtime {

struct shard_request_env {
  // Without a router every key goes to this node's own shard host.
  std::shared_ptr<const shard_router> router;
  metrics* stats = nullptr;  // optional
};

namespace detail {

using steady = std::chrono::steady_clock;

template <class Command, class Reply>
struct shard_request_state {
  shard_request_env env;
  std::string key;
  Command command;
  std::function<void(Reply)> done;
  steady::time_point deadline;
  int attempt = 0;
  caf::actor_addr watched;  // the remote gate of the attempt in flight
  // Why the last attempt did not get an answer, for when time runs out.
  std::string last_failure = "No node serves the key's shard yet.";
};

// The pause after attempt n (n >= 1): 20, 40, 80, 160, 200, 200 ... ms.
constexpr std::chrono::milliseconds retry_pause(int attempt) {
  return std::min(std::chrono::milliseconds{10 << std::min(attempt, 5)}, std::chrono::milliseconds{200});
}

inline std::optional<route> resolve(caf::actor_system& system, const shard_request_env& env, const std::string& key) {
  if (env.router)
    return env.router->resolve(key);
  // Retrieved afresh on each attempt: a restarted shard host registers again.
  auto host = system.registry().get<caf::actor>(shard_host_name);
  if (!host)
    return std::nullopt;
  return route{std::move(host), "", false};
}

template <class Command, class Reply>
void finish(caf::event_based_actor* self, shard_request_state<Command, Reply>& st, Reply reply) {
  st.done(std::move(reply));
  self->quit();
}

template <class Command, class Reply>
void send_attempt(caf::event_based_actor* self, std::shared_ptr<shard_request_state<Command, Reply>> st);

template <class Command, class Reply>
void retry_later(caf::event_based_actor* self, std::shared_ptr<shard_request_state<Command, Reply>> st) {
  auto pause = retry_pause(st->attempt);
  if (steady::now() + pause >= st->deadline) {
    finish(self, *st, error_reply<Reply>(messages::ERROR_CODE_UNAVAILABLE, st->last_failure + " Try again."));
    return;
  }
  self->delayed_send(self, pause, tick_atom::value);
}

template <class Command, class Reply>
void send_attempt(caf::event_based_actor* self, std::shared_ptr<shard_request_state<Command, Reply>> st) {
  auto attempt = ++st->attempt;
  auto now = steady::now();
  if (now >= st->deadline) {
    finish(self, *st,
           error_reply<Reply>(messages::ERROR_CODE_DEADLINE_EXCEEDED,
                              "The actor did not answer within the request deadline."));
    return;
  }
  auto target = resolve(self->system(), st->env, st->key);
  if (!target) {
    retry_later(self, st);
    return;
  }
  if (target->remote) {
    st->watched = target->target.address();
    self->monitor(target->target);
  }
  // Rounded up: truncating would give up before the caller's deadline.
  auto remaining = std::chrono::ceil<std::chrono::milliseconds>(st->deadline - now);
  bool remote = target->remote;
  self->request(target->target, remaining, st->command)
      .then(
          [self, st, attempt, remote, now](Reply& reply) {
            if (attempt != st->attempt)
              return;
            if (reply.has_error() && reply.error().code() == messages::ERROR_CODE_MOVED) {
              if (st->env.stats)
                st->env.stats->moved_retries.Increment();
              st->last_failure = "The key's shard is moving between nodes.";
              retry_later(self, st);
              return;
            }
            if (remote && st->env.stats)
              st->env.stats->remote_request_seconds.Observe(std::chrono::duration<double>(steady::now() - now).count());
            finish(self, *st, std::move(reply));
          },
          [self, st, attempt](caf::error& err) {
            if (attempt != st->attempt)
              return;
            if (err == caf::sec::request_timeout) {
              finish(self, *st,
                     error_reply<Reply>(messages::ERROR_CODE_DEADLINE_EXCEEDED,
                                        "The actor did not answer within the request deadline."));
              return;
            }
            st->last_failure = "The actor stopped before answering.";
            retry_later(self, st);
          });
}

// Inputs are spawn arguments rather than captures: CAF 0.17 dereferences a
// null argument tuple when a function actor is spawned without arguments.
template <class Command, class Reply>
caf::behavior shard_request_bridge(caf::event_based_actor* self,
                                   std::shared_ptr<shard_request_state<Command, Reply>> st) {
  // A gate that goes down mid-request (its node died or was cut off) will
  // never answer: resend at once instead of waiting out the deadline.
  self->set_down_handler([self, st](caf::down_msg& down) {
    if (down.source != st->watched)
      return;
    st->watched = nullptr;
    ++st->attempt;  // the answer of the lost attempt no longer counts
    st->last_failure = "The node that served the key went away.";
    retry_later(self, st);
  });
  send_attempt(self, st);
  return {
      [self, st](tick_atom) { send_attempt(self, st); },
  };
}

}  // namespace detail

template <class Reply, class Command>
void ask_owner(caf::actor_system& system, const shard_request_env& env, Command command,
               std::chrono::milliseconds deadline, std::function<void(Reply)> done) {
  auto st = std::make_shared<detail::shard_request_state<Command, Reply>>();
  st->env = env;
  st->key = key_of(command);
  st->command = std::move(command);
  st->done = std::move(done);
  st->deadline = detail::steady::now() + deadline;
  system.spawn(detail::shard_request_bridge<Command, Reply>, std::move(st));
}

}  // namespace taskflow::runtime
