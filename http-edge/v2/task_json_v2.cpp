#include "http-edge/v2/task_json_v2.hpp"

#include <array>

#include "messages/task/client_version.hpp"
#include "messages/task/task_status_names.hpp"
#include "messages/time/rfc3339.hpp"

namespace taskflow::edge::v2 {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 4> priority_names{"low", "medium", "high", "urgent"};
constexpr auto priority_rule = "must be one of low, medium, high, urgent";
constexpr auto status_rule = "must be one of todo, in_progress, done, cancelled";

json time_or_null(bool present, std::int64_t ms) {
  return present ? json(clock::format_rfc3339(ms)) : json(nullptr);
}

json string_list(const google::protobuf::RepeatedPtrField<std::string>& xs) {
  json out = json::array();
  for (const auto& x : xs)
    out.push_back(x);
  return out;
}

// Reads an array of strings into `out`; false (and an error) for anything else.
bool read_strings(const json& value, const char* field, field_errors& errors,
                  google::protobuf::RepeatedPtrField<std::string>& out) {
  if (!value.is_array()) {
    messages::add_field_error(errors, field, "must be an array of strings or null");
    return false;
  }
  for (const auto& item : value) {
    if (!item.is_string()) {
      messages::add_field_error(errors, field, "must be an array of strings or null");
      return false;
    }
    out.Add(item.get<std::string>());
  }
  return true;
}

bool read_priority(const json& value, field_errors& errors, int& out) {
  if (value.is_string())
    if (auto parsed = parse_priority(value.get<std::string>())) {
      out = *parsed;
      return true;
    }
  messages::add_field_error(errors, "priority", priority_rule);
  return false;
}

bool read_due(const json& value, field_errors& errors, std::int64_t& out) {
  if (value.is_string())
    if (auto ms = clock::parse_rfc3339(value.get<std::string>())) {
      out = *ms;
      return true;
    }
  messages::add_field_error(errors, "due_at", "must be an RFC 3339 date-time such as 2026-12-01T17:00:00Z, or null");
  return false;
}

// Where a field is present and not null, hands it to `read`.
template <class Read>
void if_given(const json& body, const char* field, Read read) {
  if (auto it = body.find(field); it != body.end() && !it->is_null())
    read(*it);
}

}  // namespace

std::string_view priority_name(int priority) {
  if (priority < 1 || priority > static_cast<int>(priority_names.size()))
    return "medium";
  return priority_names[static_cast<std::size_t>(priority - 1)];
}

std::optional<int> parse_priority(std::string_view name) {
  for (std::size_t i = 0; i < priority_names.size(); ++i)
    if (priority_names[i] == name)
      return static_cast<int>(i + 1);
  return std::nullopt;
}

json task_to_json(const messages::TaskSnapshot& task) {
  json external_ref = nullptr;
  if (task.has_external_ref())
    external_ref = {{"source", task.external_ref().source()}, {"id", task.external_ref().id()}};
  return {
      {"id", task.id()},
      {"title", task.title()},
      {"description", task.description()},
      {"state",
       {{"status", std::string{messages::status_name(task.status())}},
        {"changed_at", clock::format_rfc3339(task.status_changed_at_ms())}}},
      {"priority", std::string{priority_name(task.priority())}},
      {"assignees", string_list(task.assignees())},
      {"due_at", time_or_null(task.has_due_at_ms(), task.due_at_ms())},
      {"tags", string_list(task.tags())},
      {"external_ref", std::move(external_ref)},
      {"owner_id", task.owner_id()},
      {"created_at", clock::format_rfc3339(task.created_at_ms())},
      {"updated_at", clock::format_rfc3339(task.updated_at_ms())},
      {"version", messages::client_version(task)},
  };
}

std::variant<messages::CreateTask, field_errors> create_from_json(const json& body) {
  messages::CreateTask create;
  field_errors errors;
  auto title = body.find("title");
  if (title == body.end() || title->is_null())
    messages::add_field_error(errors, "title", "is required");
  else if (!title->is_string())
    messages::add_field_error(errors, "title", "must be a string");
  else
    create.set_title(title->get<std::string>());

  if_given(body, "description", [&](const json& v) {
    if (v.is_string())
      create.set_description(v.get<std::string>());
    else
      messages::add_field_error(errors, "description", "must be a string or null");
  });
  if_given(body, "priority", [&](const json& v) {
    int priority = 0;
    if (read_priority(v, errors, priority))
      create.set_priority(priority);
  });
  if_given(body, "assignees",
           [&](const json& v) { read_strings(v, "assignees", errors, *create.mutable_assignees()); });
  if_given(body, "tags", [&](const json& v) { read_strings(v, "tags", errors, *create.mutable_tags()); });
  if_given(body, "due_at", [&](const json& v) {
    std::int64_t ms = 0;
    if (read_due(v, errors, ms))
      create.set_due_at_ms(ms);
  });
  if_given(body, "external_ref", [&](const json& v) {
    auto source = v.is_object() ? v.find("source") : v.end();
    auto id = v.is_object() ? v.find("id") : v.end();
    if (!v.is_object() || source == v.end() || id == v.end() || !source->is_string() || !id->is_string()) {
      messages::add_field_error(errors, "external_ref", R"(must be {"source": string, "id": string} or null)");
      return;
    }
    create.mutable_external_ref()->set_source(source->get<std::string>());
    create.mutable_external_ref()->set_id(id->get<std::string>());
  });
  if_given(body, "state", [&](const json& v) {
    auto status = v.is_object() ? v.find("status") : v.end();
    if (!v.is_object() || (status != v.end() && !status->is_null() && *status != "todo"))
      messages::add_field_error(errors, "state.status", "new tasks start as todo");
  });
  if (!errors.empty())
    return errors;
  return create;
}

std::variant<messages::UpdateTask, field_errors> update_from_json(const json& body) {
  messages::UpdateTask update;
  field_errors errors;
  if (auto it = body.find("title"); it != body.end()) {
    if (it->is_string())
      update.set_title(it->get<std::string>());
    else
      messages::add_field_error(errors, "title", it->is_null() ? "cannot be removed" : "must be a string");
  }
  if (auto it = body.find("description"); it != body.end()) {
    if (it->is_string() || it->is_null())
      update.set_description(it->is_null() ? "" : it->get<std::string>());
    else
      messages::add_field_error(errors, "description", "must be a string or null");
  }
  if (auto it = body.find("priority"); it != body.end()) {
    int priority = 0;
    if (it->is_null())
      messages::add_field_error(errors, "priority", "cannot be removed; send low, medium, high or urgent");
    else if (read_priority(*it, errors, priority))
      update.set_priority(priority);
  }
  if (auto it = body.find("assignees"); it != body.end()) {
    update.set_replace_assignees(true);
    if (!it->is_null())
      read_strings(*it, "assignees", errors, *update.mutable_assignees());
  }
  if (auto it = body.find("tags"); it != body.end()) {
    update.set_replace_tags(true);
    if (!it->is_null())
      read_strings(*it, "tags", errors, *update.mutable_tags());
  }
  if (auto it = body.find("due_at"); it != body.end()) {
    std::int64_t ms = 0;
    if (it->is_null())
      update.set_clear_due_at(true);
    else if (read_due(*it, errors, ms))
      update.set_due_at_ms(ms);
  }
  if (auto it = body.find("state"); it != body.end()) {
    if (!it->is_object()) {
      messages::add_field_error(errors, "state", R"(must be an object such as {"status": "done"})");
    } else if (auto status = it->find("status"); status != it->end()) {
      auto parsed = status->is_string() ? messages::parse_status(status->get<std::string>()) : std::nullopt;
      if (parsed)
        update.set_status(*parsed);
      else
        messages::add_field_error(errors, "state.status", status->is_null() ? "cannot be removed" : status_rule);
    }
  }
  if (!errors.empty())
    return errors;
  return update;
}

}  // namespace taskflow::edge::v2
