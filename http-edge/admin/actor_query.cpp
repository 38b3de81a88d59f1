#include "http-edge/admin/actor_query.hpp"

#include "http-edge/admin/actor_cursor.hpp"
#include "http-edge/routing/query_string.hpp"

namespace taskflow::edge {
namespace {

// Node ids are host names or StatefulSet pod names; ids are UUIDs.
constexpr std::size_t max_node_length = 255;
constexpr std::size_t max_prefix_length = 64;

const std::string* param(const std::multimap<std::string, std::string>& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? nullptr : &it->second;
}

}  // namespace

std::variant<runtime::actor_query, messages::field_errors> parse_actor_query(
    const std::multimap<std::string, std::string>& params) {
  runtime::actor_query query;
  messages::field_errors errors;
  if (const auto* type = param(params, "type")) {
    if (runtime::is_actor_type(*type))
      query.type = *type;
    else
      messages::add_field_error(errors, "type", "must be one of task, user, session");
  }
  if (const auto* node = param(params, "node")) {
    if (!node->empty() && node->size() <= max_node_length)
      query.node = *node;
    else
      messages::add_field_error(errors, "node", "must be a node id of 1 to 255 characters");
  }
  if (const auto* prefix = param(params, "prefix")) {
    if (prefix->size() <= max_prefix_length)
      query.id_prefix = *prefix;
    else
      messages::add_field_error(errors, "prefix", "must be at most 64 characters");
  }
  query.limit = default_actor_limit;
  if (const auto* limit = param(params, "limit")) {
    if (auto parsed = parse_int_in_range(*limit, 1, static_cast<int>(max_actor_limit)))
      query.limit = static_cast<std::size_t>(*parsed);
    else
      messages::add_field_error(errors, "limit", "must be an integer from 1 to 500");
  }
  if (const auto* cursor = param(params, "cursor"); cursor && errors.empty()) {
    if (auto after = decode_actor_cursor(*cursor, actor_filter_of(query)))
      query.after = std::move(*after);
    else
      messages::add_field_error(errors, "cursor",
                                "is not a next_cursor of this list; start again without a cursor, with the same "
                                "type, node and prefix");
  }
  if (!errors.empty())
    return errors;
  return query;
}

std::string actor_filter_of(const runtime::actor_query& query) {
  // Lengths first, so no two different filters make the same text.
  std::string out;
  for (const auto* part : {&query.type, &query.node, &query.id_prefix})
    out += std::to_string(part->size()) + ":" + *part + ";";
  return out;
}

}  // namespace taskflow::edge
