#include "runtime/admin/node_agent.hpp"

#include <algorithm>
#include <chrono>

#include <caf/sec.hpp>

#include "actors/session/session_admin_view.hpp"
#include "actors/shell/serial_jobs.hpp"
#include "actors/task/task_admin_view.hpp"
#include "actors/user/user_admin_view.hpp"
#include "messages/caf_types.hpp"
#include "runtime/admin/actor_listing.hpp"
#include "runtime/admin/admin_json.hpp"
#include "runtime/atoms.hpp"
#include "runtime/sharding/shard_key.hpp"

namespace taskflow::runtime {
namespace {

constexpr auto host_timeout = std::chrono::seconds{5};
// Mailbox sizes decorate a list; an actor busy longer than this is listed
// without one rather than holding up the page.
constexpr auto mailbox_timeout = std::chrono::seconds{1};
constexpr std::uint32_t max_recent_events = 100;

caf::error failure(std::string detail) {
  return caf::make_error(caf::sec::runtime_error, std::move(detail));
}

messages::AggregateState absent(const std::string& type, const std::string& id) {
  messages::AggregateState none;
  none.set_type(type);
  none.set_id(id);
  return none;
}

// The durable state, read without activating the actor.
caf::expected<messages::AggregateState> load_stored(const node_agent_deps& deps, const std::string& type,
                                                    const std::string& id) {
  if (type == "task") {
    auto loaded = deps.tasks->load_task(id);
    if (!loaded)
      return loaded.error();
    return *loaded ? task::admin_view(**loaded) : absent(type, id);
  }
  if (type == "user") {
    auto loaded = deps.identities->load_user(id);
    if (!loaded)
      return loaded.error();
    return *loaded ? user::admin_view(**loaded) : absent(type, id);
  }
  auto loaded = deps.identities->load_session(id);
  if (!loaded)
    return loaded.error();
  return *loaded ? session::admin_view(**loaded) : absent(type, id);
}

nlohmann::json state_json(const messages::AggregateState& state) {
  nlohmann::json out;
  switch (state.state_case()) {
    case messages::AggregateState::kTask:
      out = message_to_json(state.task());
      break;
    case messages::AggregateState::kUser:
      out = message_to_json(state.user());
      break;
    case messages::AggregateState::kSession:
      out = message_to_json(state.session());
      break;
    case messages::AggregateState::STATE_NOT_SET:
      return nullptr;
  }
  if (state.deleted())
    out["deleted"] = true;
  return out;
}

caf::expected<messages::ActorSnapshot> describe(const node_agent_deps& deps, const messages::InspectActor& query,
                                                const messages::ResidentState& resident) {
  messages::ActorSnapshot out;
  out.set_type(query.type());
  out.set_id(query.id());
  out.set_node_id(deps.node_id);
  auto shards = deps.directory->shard_count();
  out.set_shard(shards > 0 ? shard_of(key_of(query.type(), query.id()), shards) : 0);
  messages::AggregateState state;
  if (resident.resident()) {
    state = resident.aggregate();
    out.set_resident(true);
    out.set_activated_at_ms(resident.activated_at_ms());
    out.set_last_message_at_ms(resident.last_message_at_ms());
    out.set_mailbox_size(static_cast<std::int64_t>(state.mailbox_size()));
  } else {
    auto stored = load_stored(deps, query.type(), query.id());
    if (!stored)
      return stored.error();
    state = std::move(*stored);
    out.set_mailbox_size(-1);
  }
  out.set_exists(resident.resident() || state.version() > 0);
  out.set_version(state.version());
  out.set_state_json(state_json(state).dump());
  auto wanted = std::min(query.recent_events(), max_recent_events);
  if (state.version() > 0 && wanted > 0) {
    auto events = deps.history->recent_events(query.type(), query.id(), wanted);
    if (!events)
      return events.error();
    for (const auto& event : *events)
      out.add_recent_events_json(event_to_json(event).dump());
  }
  return out;
}

}  // namespace

caf::behavior node_agent(caf::event_based_actor* self, node_agent_deps deps) {
  return {
      [self, deps](const messages::ListResidentActors& query) -> caf::result<messages::ResidentActors> {
        auto host = deps.shard_host.current();
        if (!host)
          return failure("No shard host is running on node " + deps.node_id + ".");
        auto promise = self->make_response_promise<messages::ResidentActors>();
        self->request(host, host_timeout, resident_atom::value)
            .then(
                [self, deps, query, host, promise](std::vector<resident_actor>& all) mutable {
                  auto page = std::make_shared<messages::ResidentActors>(
                      select_resident(all, query, deps.node_id, deps.directory->shard_count()));
                  if (page->actors_size() == 0) {
                    promise.deliver(std::move(*page));
                    return;
                  }
                  // Only the actor itself may read its mailbox, so each one on
                  // the page is asked; its answer also names it. The host asks
                  // only actors already resident, so listing activates none.
                  auto pending = std::make_shared<int>(page->actors_size());
                  for (int i = 0; i < page->actors_size(); ++i) {
                    auto settle = [page, pending, promise]() mutable {
                      if (--*pending == 0)
                        promise.deliver(std::move(*page));
                    };
                    self->request(host, mailbox_timeout, inspect_atom::value,
                                  key_of(page->actors(i).type(), page->actors(i).id()))
                        .then(
                            [page, i, settle](messages::ResidentState& state) mutable {
                              if (state.resident()) {
                                auto& actor = *page->mutable_actors(i);
                                actor.set_mailbox_size(static_cast<std::int64_t>(state.aggregate().mailbox_size()));
                                actor.set_label(label_of(state.aggregate()));
                              }
                              settle();
                            },
                            [settle](caf::error&) mutable { settle(); });
                  }
                },
                [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
        return promise;
      },
      [self, deps](const messages::InspectActor& query) -> caf::result<messages::ActorSnapshot> {
        if (!is_actor_type(query.type()))
          return failure("Unknown actor type " + query.type() + ".");
        auto host = deps.shard_host.current();
        if (!host)
          return failure("No shard host is running on node " + deps.node_id + ".");
        auto promise = self->make_response_promise<messages::ActorSnapshot>();
        self->request(host, host_timeout, inspect_atom::value, key_of(query.type(), query.id()))
            .then(
                [self, deps, query, promise](messages::ResidentState& resident) mutable {
                  // describe() reads the store: on the pool, answered here.
                  auto posted = shell::post_and_resume(
                      self, *deps.pool, [deps, query, resident, promise]() -> std::function<void()> {
                        return [promise, snapshot = describe(deps, query, resident)]() mutable {
                          if (snapshot)
                            promise.deliver(std::move(*snapshot));
                          else
                            promise.deliver(std::move(snapshot.error()));
                        };
                      });
                  if (!posted)
                    promise.deliver(ports::pool_full_error());
                },
                [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
        return promise;
      },
      [self, deps](const messages::PassivateActor& query) -> caf::result<messages::PassivateActorReply> {
        auto host = deps.shard_host.current();
        if (!host)
          return failure("No shard host is running on node " + deps.node_id + ".");
        auto promise = self->make_response_promise<messages::PassivateActorReply>();
        self->request(host, host_timeout, passivate_atom::value, key_of(query.type(), query.id()))
            .then(
                [deps, promise](bool was_resident) mutable {
                  messages::PassivateActorReply reply;
                  reply.set_node_id(deps.node_id);
                  reply.set_was_resident(was_resident);
                  promise.deliver(std::move(reply));
                },
                [promise](caf::error& err) mutable { promise.deliver(std::move(err)); });
        return promise;
      },
      [deps](const messages::ListTraces& query) {
        messages::TraceSummaries out;
        out.set_node_id(deps.node_id);
        if (deps.traces)
          for (auto& summary : deps.traces->list(query))
            *out.add_traces() = std::move(summary);
        return out;
      },
      [deps](const messages::GetTrace& query) {
        messages::TraceSpans out;
        out.set_node_id(deps.node_id);
        if (deps.traces)
          for (auto& span : deps.traces->spans_of(query.trace_id()))
            *out.add_spans() = std::move(span);
        return out;
      },
      [](shell::resume& done) { done.run(); },
  };
}

}  // namespace taskflow::runtime
