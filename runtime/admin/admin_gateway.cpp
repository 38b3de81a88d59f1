#include "runtime/admin/admin_gateway.hpp"

#include <algorithm>

#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>

#include "messages/caf_types.hpp"
#include "messages/common/errors.hpp"

namespace taskflow::runtime {
namespace {

template <class Reply>
struct answer {
  std::string node_id;
  std::optional<Reply> reply;
  caf::error error;
};

template <class Reply>
using answers_handler = std::function<void(std::vector<answer<Reply>>)>;

// Asks every target at once and hands over all answers when the last one
// arrived or failed; each request is bounded by the deadline, so this is too.
// Inputs are spawn arguments: CAF 0.17 dereferences a null argument tuple when
// a function actor is spawned without arguments.
template <class Request, class Reply>
void gather(caf::event_based_actor* self, std::vector<admin_target> targets, std::chrono::milliseconds deadline,
            Request request, answers_handler<Reply> done) {
  auto answers = std::make_shared<std::vector<answer<Reply>>>(targets.size());
  auto pending = std::make_shared<std::size_t>(targets.size());
  if (targets.empty()) {
    done({});
    self->quit();
    return;
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    (*answers)[i].node_id = targets[i].node_id;
    auto settle = [self, answers, pending, done] {
      if (--*pending > 0)
        return;
      done(std::move(*answers));
      self->quit();
    };
    self->request(targets[i].agent, deadline, request)
        .then(
            [answers, i, settle](Reply& reply) {
              (*answers)[i].reply = std::move(reply);
              settle();
            },
            [answers, i, settle](caf::error& err) {
              (*answers)[i].error = std::move(err);
              settle();
            });
  }
}

template <class Reply, class Request>
void ask_all(caf::actor_system& system, std::vector<admin_target> targets, std::chrono::milliseconds deadline,
             Request request, answers_handler<Reply> done) {
  system.spawn(gather<Request, Reply>, std::move(targets), deadline, std::move(request), std::move(done));
}

messages::Error error_for(const std::string& node_id, const caf::error& err) {
  if (err == caf::sec::request_timeout)
    return messages::make_error(messages::ERROR_CODE_DEADLINE_EXCEEDED,
                                "Node " + node_id + " did not answer within the request deadline.");
  return messages::make_error(messages::ERROR_CODE_UNAVAILABLE,
                              "Node " + node_id + " could not answer: " + caf::to_string(err));
}

messages::Error no_owner(const std::string& key) {
  return messages::make_error(messages::ERROR_CODE_UNAVAILABLE, "No node owns the shard of " + key + " right now.");
}

}  // namespace

admin_gateway::admin_gateway(caf::actor_system& system, std::shared_ptr<const cluster_directory> directory,
                             std::shared_ptr<const trace_buffer> traces)
    : system_(system), directory_(std::move(directory)), traces_(std::move(traces)) {}

std::vector<admin_target> admin_gateway::other_agents() const {
  auto targets = directory_->agents();
  auto self = directory_->self_id();
  targets.erase(
      std::remove_if(targets.begin(), targets.end(), [&](const admin_target& t) { return t.node_id == self; }),
      targets.end());
  return targets;
}

void admin_gateway::list_traces(messages::ListTraces query, std::chrono::milliseconds deadline,
                                std::function<void(trace_list)> done) {
  messages::TraceSummaries local;
  local.set_node_id(directory_->self_id());
  if (traces_)
    for (auto& summary : traces_->list(messages::ListTraces{}))
      *local.add_traces() = std::move(summary);
  ask_all<messages::TraceSummaries>(
      system_, other_agents(), deadline, messages::ListTraces{},
      [query, local = std::move(local), done](std::vector<answer<messages::TraceSummaries>> answers) mutable {
        trace_list out;
        std::vector<messages::TraceSummaries> parts{std::move(local)};
        for (auto& a : answers) {
          if (a.reply)
            parts.push_back(std::move(*a.reply));
          else
            out.unanswered_nodes.push_back(a.node_id);
        }
        for (auto& overview : merge_summaries(parts)) {
          const auto& s = overview.summary;
          auto ms = static_cast<double>(s.end_unix_nano() - s.start_unix_nano()) / 1e6;
          if (ms < query.min_ms() || (!query.route().empty() && s.route() != query.route()))
            continue;
          out.items.push_back(std::move(overview));
          if (query.limit() > 0 && out.items.size() == query.limit())
            break;
        }
        done(std::move(out));
      });
}

void admin_gateway::trace(std::string trace_id, std::chrono::milliseconds deadline,
                          std::function<void(gathered_trace)> done) {
  std::vector<messages::Span> local;
  if (traces_)
    local = traces_->spans_of(trace_id);
  messages::GetTrace request;
  request.set_trace_id(std::move(trace_id));
  ask_all<messages::TraceSpans>(
      system_, other_agents(), deadline, request,
      [local = std::move(local), done](std::vector<answer<messages::TraceSpans>> answers) mutable {
        gathered_trace out;
        out.spans = std::move(local);
        for (auto& a : answers) {
          if (!a.reply) {
            out.unanswered_nodes.push_back(a.node_id);
            continue;
          }
          for (auto& span : *a.reply->mutable_spans())
            out.spans.push_back(std::move(span));
        }
        std::stable_sort(out.spans.begin(), out.spans.end(),
                         [](const auto& a, const auto& b) { return a.start_unix_nano() < b.start_unix_nano(); });
        done(std::move(out));
      });
}

void admin_gateway::cluster(std::chrono::milliseconds deadline, std::function<void(cluster_status)> done) {
  cluster_status status;
  status.cluster = directory_->cluster_name();
  status.node_id = directory_->self_id();
  status.shard_count = directory_->shard_count();
  for (auto& node : directory_->nodes())
    status.nodes.push_back({std::move(node), std::nullopt});
  messages::ListResidentActors count_only;  // limit 0: just the counts
  ask_all<messages::ResidentActors>(
      system_, directory_->agents(), deadline, count_only,
      [status = std::move(status), done](std::vector<answer<messages::ResidentActors>> answers) mutable {
        for (auto& node : status.nodes)
          for (const auto& a : answers)
            if (a.node_id == node.node.id && a.reply)
              node.resident_actors = a.reply->resident();
        done(std::move(status));
      });
}

shard_table admin_gateway::shards() const {
  return {directory_->shard_count(), directory_->shard_owners()};
}

void admin_gateway::list_actors(actor_query query, std::chrono::milliseconds deadline,
                                outcome_handler<actor_page> done) {
  auto targets = directory_->agents();
  if (!query.node.empty()) {
    targets.erase(
        std::remove_if(targets.begin(), targets.end(), [&](const admin_target& t) { return t.node_id != query.node; }),
        targets.end());
    // A filter that matches no node lists nothing, like any other filter.
    if (targets.empty())
      return done(actor_page{});
  }
  messages::ListResidentActors request;
  request.set_type(query.type);
  request.set_id_prefix(query.id_prefix);
  if (query.after) {
    request.set_after_type(query.after->type);
    request.set_after_id(query.after->id);
  }
  // One more than asked tells whether another page follows.
  request.set_limit(static_cast<std::uint32_t>(query.limit + 1));
  ask_all<messages::ResidentActors>(system_, std::move(targets), deadline, request,
                                    [limit = query.limit, done](std::vector<answer<messages::ResidentActors>> answers) {
                                      actor_page page;
                                      std::vector<messages::ResidentActors> pages;
                                      for (auto& a : answers) {
                                        if (a.reply)
                                          pages.push_back(std::move(*a.reply));
                                        else
                                          page.unanswered_nodes.push_back(a.node_id);
                                      }
                                      auto merged = merge_pages(pages, limit);
                                      page.items = std::move(merged.items);
                                      if (merged.more && !page.items.empty())
                                        page.next = actor_position{page.items.back().type(), page.items.back().id()};
                                      done(std::move(page));
                                    });
}

void admin_gateway::inspect(std::string type, std::string id, std::chrono::milliseconds deadline,
                            outcome_handler<messages::ActorSnapshot> done) {
  auto key = key_of(type, id);
  auto target = directory_->agent_for(key);
  if (!target)
    return done(no_owner(key));
  messages::InspectActor request;
  request.set_type(std::move(type));
  request.set_id(std::move(id));
  // One more than is shown: what the oldest shown event changed is told
  // by comparing it with the one before it.
  request.set_recent_events(recent_event_count + 1);
  ask_all<messages::ActorSnapshot>(
      system_, {*target}, deadline, request, [key, done](std::vector<answer<messages::ActorSnapshot>> answers) {
        auto& a = answers.front();
        if (!a.reply)
          return done(error_for(a.node_id, a.error));
        if (!a.reply->exists())
          return done(
              messages::make_error(messages::ERROR_CODE_NOT_FOUND, "No actor and no stored state for " + key + "."));
        done(std::move(*a.reply));
      });
}

void admin_gateway::passivate(std::string type, std::string id, std::chrono::milliseconds deadline,
                              outcome_handler<bool> done) {
  auto key = key_of(type, id);
  auto target = directory_->agent_for(key);
  if (!target)
    return done(no_owner(key));
  messages::PassivateActor request;
  request.set_type(std::move(type));
  request.set_id(std::move(id));
  ask_all<messages::PassivateActorReply>(system_, {*target}, deadline, request,
                                         [done](std::vector<answer<messages::PassivateActorReply>> answers) {
                                           auto& a = answers.front();
                                           if (!a.reply)
                                             return done(error_for(a.node_id, a.error));
                                           done(a.reply->was_resident());
                                         });
}

}  // namespace taskflow::runtime
