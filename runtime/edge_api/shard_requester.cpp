#include "runtime/edge_api/shard_requester.hpp"

#include <algorithm>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <caf/exit_reason.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>

#include "runtime/atoms.hpp"

namespace taskflow::runtime {
namespace detail {
namespace {

using steady = std::chrono::steady_clock;

struct router_state {
  shard_request_env env;
  std::uint64_t last_id = 0;
  std::unordered_map<std::uint64_t, std::shared_ptr<pending_request>> pending;
  // The requests whose attempt in flight went to a remote entry, by entry. A
  // router monitors an entry once, however many requests it sends there.
  std::unordered_map<caf::actor_addr, std::unordered_set<std::uint64_t>> waiting_on;
  std::unordered_set<caf::actor_addr> monitored;

  static inline const char* name = "shard_request_router";
};

using router_actor = caf::stateful_actor<router_state>;

// The pause after attempt n (n >= 1): 20, 40, 80, 160, 200, 200 ... ms.
constexpr std::chrono::milliseconds retry_pause(int attempt) {
  return std::min(std::chrono::milliseconds{10 << std::min(attempt, 5)}, std::chrono::milliseconds{200});
}

void unwatch(router_state& st, std::uint64_t id, pending_request& request) {
  if (!request.watched)
    return;
  if (auto it = st.waiting_on.find(request.watched); it != st.waiting_on.end()) {
    it->second.erase(id);
    if (it->second.empty())
      st.waiting_on.erase(it);
  }
  request.watched = nullptr;
}

// Forgets the request, then answers it.
template <class Answer>
void finish(router_actor* self, std::uint64_t id, Answer answer) {
  auto it = self->state.pending.find(id);
  if (it == self->state.pending.end())
    return;
  auto request = std::move(it->second);
  self->state.pending.erase(it);
  unwatch(self->state, id, *request);
  answer(*request);
}

void fail(router_actor* self, std::uint64_t id, messages::ErrorCode code, std::string detail) {
  finish(self, id, [&](pending_request& request) { request.deliver_error(code, std::move(detail)); });
}

void retry_later(router_actor* self, std::uint64_t id, pending_request& request) {
  auto pause = retry_pause(request.attempt);
  if (steady::now() + pause >= request.deadline) {
    fail(self, id, messages::ERROR_CODE_UNAVAILABLE, request.last_failure + " Try again.");
    return;
  }
  self->delayed_send(self, pause, tick_atom::value, id);
}

void attempt_ended(router_actor* self, std::uint64_t id, int attempt, bool remote, steady::time_point sent,
                   attempt_end end) {
  auto& st = self->state;
  auto it = st.pending.find(id);
  if (it == st.pending.end() || it->second->attempt != attempt)
    return;
  auto& request = *it->second;
  unwatch(st, id, request);
  switch (end) {
    case attempt_end::answered:
      if (remote && st.env.stats)
        st.env.stats->remote_request_seconds.Observe(std::chrono::duration<double>(steady::now() - sent).count());
      finish(self, id, [](pending_request& r) { r.deliver_answer(); });
      return;
    case attempt_end::moved:
      if (st.env.stats)
        st.env.stats->moved_retries.Increment();
      request.last_failure = "The key's shard is moving between nodes.";
      retry_later(self, id, request);
      return;
    case attempt_end::timed_out:
      fail(self, id, messages::ERROR_CODE_DEADLINE_EXCEEDED, "The actor did not answer within the request deadline.");
      return;
    case attempt_end::lost:
      request.last_failure = "The actor stopped before answering.";
      retry_later(self, id, request);
      return;
  }
}

void send_attempt(router_actor* self, std::uint64_t id) {
  auto& st = self->state;
  auto it = st.pending.find(id);
  if (it == st.pending.end())
    return;
  auto& request = *it->second;
  auto attempt = ++request.attempt;
  auto now = steady::now();
  if (now >= request.deadline) {
    fail(self, id, messages::ERROR_CODE_DEADLINE_EXCEEDED, "The actor did not answer within the request deadline.");
    return;
  }
  auto target = st.env.router->resolve(request.key);
  if (!target) {
    retry_later(self, id, request);
    return;
  }
  bool remote = target->remote;
  if (remote) {
    // An entry that goes down mid-request (its node died or was cut off) will
    // never answer: its requests are resent at once instead of waiting out
    // their deadlines.
    auto address = target->target.address();
    if (st.monitored.insert(address).second)
      self->monitor(target->target);
    st.waiting_on[address].insert(id);
    request.watched = address;
  }
  // Rounded up: truncating would give up before the caller's deadline.
  auto remaining = std::chrono::ceil<std::chrono::milliseconds>(request.deadline - now);
  request.send(
      self, target->target, remote ? target->node : std::string{}, remaining,
      [self, id, attempt, remote, now](attempt_end end) { attempt_ended(self, id, attempt, remote, now, end); });
}

caf::behavior shard_request_router(router_actor* self, shard_request_env env) {
  self->state.env = std::move(env);
  self->set_down_handler([self](caf::down_msg& down) {
    auto& st = self->state;
    st.monitored.erase(down.source);
    auto it = st.waiting_on.find(down.source);
    if (it == st.waiting_on.end())
      return;
    auto ids = std::move(it->second);
    st.waiting_on.erase(it);
    for (auto id : ids) {
      auto found = st.pending.find(id);
      if (found == st.pending.end())
        continue;
      auto& request = *found->second;
      request.watched = nullptr;
      ++request.attempt;  // the answer of the lost attempt no longer counts
      request.last_failure = "The node that served the key went away.";
      retry_later(self, id, request);
    }
  });
  // Whoever waits on a request gets an answer, even from a stopping node.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    auto pending = std::move(self->state.pending);
    self->state.pending.clear();
    self->state.waiting_on.clear();
    for (auto& entry : pending)
      entry.second->deliver_error(messages::ERROR_CODE_UNAVAILABLE, "The node is shutting down. Try again.");
    self->quit(msg.reason);
  });
  return {
      [self](std::shared_ptr<pending_request>& request) {
        auto id = ++self->state.last_id;
        self->state.pending.emplace(id, std::move(request));
        send_attempt(self, id);
      },
      [self](tick_atom, std::uint64_t id) { send_attempt(self, id); },
  };
}

}  // namespace
}  // namespace detail

shard_requester::shard_requester(caf::actor_system& system, shard_request_env env, std::size_t routers) {
  auto count = routers > 0 ? routers : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  routers_.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    routers_.push_back(system.spawn(detail::shard_request_router, env));
}

shard_requester::~shard_requester() {
  for (const auto& router : routers_)
    caf::anon_send_exit(router, caf::exit_reason::user_shutdown);
}

const caf::actor& shard_requester::next_router() {
  return routers_[next_.fetch_add(1, std::memory_order_relaxed) % routers_.size()];
}

}  // namespace taskflow::runtime
