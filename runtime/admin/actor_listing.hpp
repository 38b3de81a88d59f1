// Lists of resident actors across nodes, in one stable order: (type, id).
// Each node picks its own page after a keyset position; the gateway merges
// the nodes' pages. Pure functions, so paging is tested without actors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messages/admin/admin.pb.h"
#include "runtime/sharding/shard_host.hpp"

namespace taskflow::runtime {

// The actor types the admin API knows, as they prefix keys ("task/<id>").
bool is_actor_type(std::string_view type);

struct actor_position {
  std::string type;
  std::string id;
  friend bool operator<(const actor_position& a, const actor_position& b) {
    return a.type != b.type ? a.type < b.type : a.id < b.id;
  }
  friend bool operator==(const actor_position& a, const actor_position& b) { return a.type == b.type && a.id == b.id; }
};

// "task/<id>" -> {"task", "<id>"}; nullopt without a slash.
std::optional<actor_position> split_key(std::string_view key);
std::string key_of(const std::string& type, const std::string& id);

// One node's page: the resident actors matching the query's type and id
// prefix, strictly after its position, in (type, id) order, at most its
// limit; plus how many match in all. Mailbox sizes are left at -1 and labels
// empty for the caller to fill in from each actor's answer.
messages::ResidentActors select_resident(const std::vector<resident_actor>& resident,
                                         const messages::ListResidentActors& query, const std::string& node_id,
                                         std::uint32_t shard_count);

// What a list shows beside an actor's id: a task's title, a user's email;
// empty for sessions and for aggregates never created.
std::string label_of(const messages::AggregateState& state);

struct merged_page {
  std::vector<messages::ResidentActor> items;
  bool more = false;  // further items follow the last one
};

// Merges nodes' pages (each asked for limit + 1) into the first `limit`
// items of the whole cluster.
merged_page merge_pages(const std::vector<messages::ResidentActors>& pages, std::size_t limit);

}  // namespace taskflow::runtime
