// What the task handlers need from an API version: how a task looks on the
// wire, how request bodies and list parameters become commands and queries,
// and how a page of tasks is written. The handlers are the same for every
// version; adding a version means adding a mapper (http-edge/vN/), never
// touching a handler.
#pragma once

#include <map>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "messages/common/field_errors.hpp"
#include "messages/task/task.pb.h"
#include "messages/task/task_commands.pb.h"
#include "messages/task/task_replies.pb.h"

namespace taskflow::edge {

using query_params = std::multimap<std::string, std::string>;

class task_mapper {
public:
  virtual ~task_mapper() = default;

  virtual int version() const = 0;

  // "/api/vN/tasks": where this version's task resource lives.
  std::string tasks_path() const { return "/api/v" + std::to_string(version()) + "/tasks"; }

  virtual nlohmann::json task_to_json(const messages::TaskSnapshot& task) const = 0;

  // JSON types are checked here; values are the domain's job.
  virtual std::variant<messages::CreateTask, messages::field_errors> create_from_json(
      const nlohmann::json& body) const = 0;

  // JSON merge patch (RFC 7396) semantics.
  virtual std::variant<messages::UpdateTask, messages::field_errors> update_from_json(
      const nlohmann::json& body) const = 0;

  // Fills filters and paging of `query` (whose viewer is already set) from
  // the request's query parameters; the errors name the bad parameters.
  virtual messages::field_errors read_list_query(const query_params& params, messages::ListTasksQuery& query) const = 0;

  // The name this version gives a field the domain reports an error for
  // (the domain speaks v1's names).
  virtual std::string field_name(const std::string& domain_field) const { return domain_field; }

  // The list answer for `page`, which `query` produced.
  virtual nlohmann::json page_to_json(const messages::TaskPage& page, const messages::ListTasksQuery& query) const = 0;
};

}  // namespace taskflow::edge
