#include "http-edge/v1/task_mapper_v1.hpp"

#include "http-edge/routing/query_string.hpp"
#include "http-edge/v1/task_json_v1.hpp"
#include "messages/ids/uuid.hpp"
#include "messages/task/task_status_names.hpp"

namespace taskflow::edge::v1 {
namespace {

constexpr int max_page_size = 200;
constexpr int default_page_size = 50;
constexpr int max_page = 1'000'000;

// Empty parameter values count as absent.
const std::string* param(const query_params& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() || it->second.empty() ? nullptr : &it->second;
}

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
  if (const auto* status = param(params, "status")) {
    if (auto parsed = messages::parse_status(*status))
      query.set_status(*parsed);
    else
      messages::add_field_error(errors, "status", "must be one of todo, in_progress, done, cancelled");
  }
  if (const auto* assignee = param(params, "assignee_id")) {
    if (ids::is_uuid(*assignee))
      query.set_assignee_id(*assignee);
    else
      messages::add_field_error(errors, "assignee_id", "must be a user id (UUID)");
  }
  int page = 1, page_size = default_page_size;
  if (const auto* p = param(params, "page")) {
    if (auto parsed = parse_int_in_range(*p, 1, max_page))
      page = *parsed;
    else
      messages::add_field_error(errors, "page", "must be an integer from 1");
  }
  if (const auto* ps = param(params, "page_size")) {
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
