// API v1 for the task handlers: the v1 task shape (task_json_v1) and
// page-numbered lists `{items, page, page_size, total}`.
#pragma once

#include "http-edge/handlers/task_mapper.hpp"

namespace taskflow::edge::v1 {

class task_mapper_v1 final : public task_mapper {
public:
  int version() const override { return 1; }
  nlohmann::json task_to_json(const messages::TaskSnapshot& task) const override;
  std::variant<messages::CreateTask, messages::field_errors> create_from_json(
      const nlohmann::json& body) const override;
  std::variant<messages::UpdateTask, messages::field_errors> update_from_json(
      const nlohmann::json& body) const override;
  messages::field_errors read_list_query(const query_params& params, messages::ListTasksQuery& query) const override;
  nlohmann::json page_to_json(const messages::TaskPage& page, const messages::ListTasksQuery& query) const override;
};

}  // namespace taskflow::edge::v1
