// The query of GET /admin/api/actors, checked: type (task, user or session),
// node, id prefix, limit (1-500, default 50) and a cursor made for the same
// filter. Every bad value is a field error, so a 400 names them all.
#pragma once

#include <map>
#include <string>
#include <variant>

#include "messages/common/field_errors.hpp"
#include "runtime/admin/admin_gateway.hpp"

namespace taskflow::edge {

inline constexpr std::size_t default_actor_limit = 50;
inline constexpr std::size_t max_actor_limit = 500;

std::variant<runtime::actor_query, messages::field_errors> parse_actor_query(
    const std::multimap<std::string, std::string>& params);

// What a cursor of this query is bound to: its filter, not its position.
std::string actor_filter_of(const runtime::actor_query& query);

}  // namespace taskflow::edge
