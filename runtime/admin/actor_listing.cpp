#include "runtime/admin/actor_listing.hpp"

#include <algorithm>

#include "runtime/sharding/shard_key.hpp"

namespace taskflow::runtime {
namespace {

actor_position position_of(const messages::ResidentActor& actor) {
  return {actor.type(), actor.id()};
}

}  // namespace

bool is_actor_type(std::string_view type) {
  return type == "task" || type == "user" || type == "session";
}

std::optional<actor_position> split_key(std::string_view key) {
  auto slash = key.find('/');
  if (slash == std::string_view::npos)
    return std::nullopt;
  return actor_position{std::string{key.substr(0, slash)}, std::string{key.substr(slash + 1)}};
}

std::string key_of(const std::string& type, const std::string& id) {
  return type + "/" + id;
}

messages::ResidentActors select_resident(const std::vector<resident_actor>& resident,
                                         const messages::ListResidentActors& query, const std::string& node_id,
                                         std::uint32_t shard_count) {
  messages::ResidentActors out;
  out.set_node_id(node_id);
  out.set_resident(resident.size());
  std::optional<actor_position> after;
  if (!query.after_type().empty())
    after = actor_position{query.after_type(), query.after_id()};
  std::vector<std::pair<actor_position, const resident_actor*>> page;
  std::uint64_t matching = 0;
  for (const auto& r : resident) {
    auto pos = split_key(r.key);
    if (!pos || (!query.type().empty() && pos->type != query.type()) ||
        pos->id.compare(0, query.id_prefix().size(), query.id_prefix()) != 0)
      continue;
    ++matching;
    if (after && !(*after < *pos))
      continue;
    page.emplace_back(std::move(*pos), &r);
  }
  out.set_matching(matching);
  auto limit = std::min<std::size_t>(query.limit(), page.size());
  std::partial_sort(page.begin(), page.begin() + static_cast<std::ptrdiff_t>(limit), page.end(),
                    [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < limit; ++i) {
    auto& item = *out.add_actors();
    item.set_type(page[i].first.type);
    item.set_id(page[i].first.id);
    item.set_node_id(node_id);
    item.set_shard(shard_count > 0 ? shard_of(page[i].second->key, shard_count) : 0);
    item.set_activated_at_ms(page[i].second->activated_at_ms);
    item.set_last_message_at_ms(page[i].second->last_message_at_ms);
    item.set_mailbox_size(-1);
  }
  return out;
}

std::string label_of(const messages::AggregateState& state) {
  switch (state.state_case()) {
    case messages::AggregateState::kTask:
      return state.task().title();
    case messages::AggregateState::kUser:
      return state.user().email();
    case messages::AggregateState::kSession:
    case messages::AggregateState::STATE_NOT_SET:
      break;
  }
  return {};
}

merged_page merge_pages(const std::vector<messages::ResidentActors>& pages, std::size_t limit) {
  merged_page out;
  for (const auto& page : pages)
    out.items.insert(out.items.end(), page.actors().begin(), page.actors().end());
  std::sort(out.items.begin(), out.items.end(),
            [](const auto& a, const auto& b) { return position_of(a) < position_of(b); });
  // During a handoff one actor may briefly be resident on two nodes; list it once.
  out.items.erase(std::unique(out.items.begin(), out.items.end(),
                              [](const auto& a, const auto& b) { return position_of(a) == position_of(b); }),
                  out.items.end());
  if (out.items.size() > limit) {
    out.items.resize(limit);
    out.more = true;
  }
  return out;
}

}  // namespace taskflow::runtime
