#include "http-edge/v2/task_mapper_v2.hpp"

#include "http-edge/handlers/task_list_filters.hpp"
#include "http-edge/pagination/page_cursor.hpp"
#include "http-edge/pagination/page_limit.hpp"
#include "http-edge/v2/task_json_v2.hpp"

namespace taskflow::edge::v2 {

nlohmann::json task_mapper_v2::task_to_json(const messages::TaskSnapshot& task) const {
  return v2::task_to_json(task);
}

std::variant<messages::CreateTask, messages::field_errors> task_mapper_v2::create_from_json(
    const nlohmann::json& body) const {
  return v2::create_from_json(body);
}

std::variant<messages::UpdateTask, messages::field_errors> task_mapper_v2::update_from_json(
    const nlohmann::json& body) const {
  return v2::update_from_json(body);
}

messages::field_errors task_mapper_v2::read_list_query(const query_params& params,
                                                       messages::ListTasksQuery& query) const {
  messages::field_errors errors;
  read_task_filters(params, "assignee", query, errors);
  query.set_limit(page_limit(list_param(params, "limit"), errors));
  auto* keyset = query.mutable_keyset();
  if (const auto* cursor = list_param(params, "cursor"); cursor && errors.empty()) {
    if (auto after = decode_page_cursor(*cursor, task_list_filter(query)))
      *keyset->mutable_after() = std::move(*after);
    else
      messages::add_field_error(errors, "cursor",
                                "is not a next_cursor of this list; start again without a cursor, with the same "
                                "status and assignee");
  }
  return errors;
}

std::string task_mapper_v2::field_name(const std::string& domain_field) const {
  if (domain_field == "due_date")
    return "due_at";
  if (domain_field == "assignee_id")
    return "assignees";
  if (domain_field == "source")
    return "external_ref.source";
  if (domain_field == "external_id")
    return "external_ref.id";
  return domain_field;
}

nlohmann::json task_mapper_v2::page_to_json(const messages::TaskPage& page,
                                            const messages::ListTasksQuery& query) const {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& task : page.items())
    items.push_back(v2::task_to_json(task));
  nlohmann::json next = nullptr;
  if (page.has_more() && page.items_size() > 0) {
    const auto& last = page.items(page.items_size() - 1);
    messages::TaskListPosition after;
    after.set_created_at_ms(last.created_at_ms());
    after.set_id(last.id());
    next = encode_page_cursor(after, task_list_filter(query));
  }
  return {{"items", std::move(items)}, {"next_cursor", std::move(next)}};
}

}  // namespace taskflow::edge::v2
