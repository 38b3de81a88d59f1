#include "http-edge/v1/task_mapper_v1.hpp"

#include "http-edge/handlers/task_list_filters.hpp"
#include "http-edge/routing/query_string.hpp"
#include "http-edge/v1/task_json_v1.hpp"

namespace taskflow::edge::v1 {
namespace {

constexpr int max_page_size = 200;
constexpr int default_page_size = 50;
constexpr int max_page = 1'000'000;

}  // namespace

nlohmann::json task_mapper_v1::task_to_json(const messages::TaskSnapshot& task) const {
  return v1::task_to_json(task);
}

std::variant<messages::CreateTask, messages::field_errors> task_mapper_v1::create_from_json(
    const nlohmann::json& body) const {
  return v1::create_from_json(body);
}

std::variant<messages::UpdateTask, messages::field_errors> task_mapper_v1::update_from_json(
    const nlohmann::json& body) const {
  return v1::update_from_json(body);
}

messages::field_errors task_mapper_v1::read_list_query(const query_params& params,
                                                       messages::ListTasksQuery& query) const {
  messages::field_errors errors;
  read_task_filters(params, "assignee_id", query, errors);
  int page = 1, page_size = default_page_size;
  if (const auto* p = list_param(params, "page")) {
    if (auto parsed = parse_int_in_range(*p, 1, max_page))
      page = *parsed;
    else
      messages::add_field_error(errors, "page", "must be an integer from 1");
  }
  if (const auto* ps = list_param(params, "page_size")) {
    if (auto parsed = parse_int_in_range(*ps, 1, max_page_size))
      page_size = *parsed;
    else
      messages::add_field_error(errors, "page_size", "must be an integer from 1 to 200");
  }
  query.set_offset((page - 1) * page_size);
  query.set_limit(page_size);
  return errors;
}

nlohmann::json task_mapper_v1::page_to_json(const messages::TaskPage& page,
                                            const messages::ListTasksQuery& query) const {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& task : page.items())
    items.push_back(v1::task_to_json(task));
  return {{"items", std::move(items)},
          {"page", query.offset() / query.limit() + 1},
          {"page_size", query.limit()},
          {"total", page.total()}};
}

}  // namespace taskflow::edge::v1
