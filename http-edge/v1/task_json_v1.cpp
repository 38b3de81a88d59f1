#include "http-edge/v1/task_json_v1.hpp"

#include <algorithm>

#include "messages/task/client_version.hpp"
#include "messages/task/task_status_names.hpp"
#include "messages/time/rfc3339.hpp"

namespace taskflow::edge::v1 {
namespace {

using nlohmann::json;

json nullable_string(bool present, const std::string& value) {
  return present ? json(value) : json(nullptr);
}

// Reads an optional string field; `null` yields an empty optional through `on_null`.
template <class OnString, class OnNull>
void read_string(const json& body, const char* field, field_errors& errors, OnString on_string, OnNull on_null) {
  auto it = body.find(field);
  if (it == body.end())
    return;
  if (it->is_null())
    on_null();
  else if (it->is_string())
    on_string(it->get<std::string>());
  else
    messages::add_field_error(errors, field, "must be a string or null");
}

bool read_priority(const json& value, field_errors& errors, int& out) {
  if (!value.is_number_integer()) {
    messages::add_field_error(errors, "priority", "must be an integer from 1 (low) to 4 (urgent)");
    return false;
  }
  // The range is the domain's rule; here we only keep the value in an int so
  // the domain sees (and reports) it alongside every other field.
  auto wide = value.get<std::int64_t>();
  out = static_cast<int>(std::clamp<std::int64_t>(wide, -1, 1000));
  return true;
}

bool read_due(const std::string& text, field_errors& errors, std::int64_t& out) {
  auto ms = clock::parse_rfc3339(text);
  if (!ms) {
    messages::add_field_error(errors, "due_date", "must be an RFC 3339 date-time such as 2026-12-01T17:00:00Z");
    return false;
  }
  out = *ms;
  return true;
}

}  // namespace

json task_to_json(const messages::TaskSnapshot& task) {
  return {
      {"id", task.id()},
      {"title", task.title()},
      {"description", task.description()},
      {"status", std::string{messages::status_name(task.status())}},
      {"priority", task.priority()},
      {"assignee_id", nullable_string(!task.assignees().empty(), task.assignees().empty() ? "" : task.assignees(0))},
      {"due_date", task.has_due_at_ms() ? json(clock::format_rfc3339(task.due_at_ms())) : json(nullptr)},
      {"external_id", nullable_string(task.has_external_ref(), task.external_ref().id())},
      {"source", nullable_string(task.has_external_ref(), task.external_ref().source())},
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

  read_string(
      body, "description", errors, [&](std::string v) { create.set_description(std::move(v)); }, [] {});
  if (auto p = body.find("priority"); p != body.end() && !p->is_null()) {
    int priority = 0;
    if (read_priority(*p, errors, priority))
      create.set_priority(priority);
  }
  read_string(
      body, "assignee_id", errors, [&](std::string v) { create.add_assignees(std::move(v)); }, [] {});
  read_string(
      body, "due_date", errors,
      [&](const std::string& v) {
        std::int64_t ms = 0;
        if (read_due(v, errors, ms))
          create.set_due_at_ms(ms);
      },
      [] {});
  std::optional<std::string> source, external_id;
  read_string(
      body, "source", errors, [&](std::string v) { source = std::move(v); }, [] {});
  read_string(
      body, "external_id", errors, [&](std::string v) { external_id = std::move(v); }, [] {});
  if (source && external_id) {
    create.mutable_external_ref()->set_source(*source);
    create.mutable_external_ref()->set_id(*external_id);
  } else if (source || external_id) {
    messages::add_field_error(errors, source ? "external_id" : "source",
                              "source and external_id must be given together");
  }
  read_string(
      body, "status", errors,
      [&](const std::string& v) {
        if (v != "todo")
          messages::add_field_error(errors, "status", "new tasks start as todo");
      },
      [] {});
  if (!errors.empty())
    return errors;
  return create;
}

std::variant<messages::UpdateTask, field_errors> update_from_json(const json& body) {
  messages::UpdateTask update;
  field_errors errors;
  read_string(
      body, "title", errors, [&](std::string v) { update.set_title(std::move(v)); },
      [&] { messages::add_field_error(errors, "title", "cannot be removed"); });
  read_string(
      body, "description", errors, [&](std::string v) { update.set_description(std::move(v)); },
      [&] { update.set_description(""); });
  if (auto p = body.find("priority"); p != body.end()) {
    int priority = 0;
    if (p->is_null())
      messages::add_field_error(errors, "priority", "cannot be removed; send 1 (low) to 4 (urgent)");
    else if (read_priority(*p, errors, priority))
      update.set_priority(priority);
  }
  read_string(
      body, "status", errors,
      [&](const std::string& v) {
        if (auto status = messages::parse_status(v))
          update.set_status(*status);
        else
          messages::add_field_error(errors, "status", "must be one of todo, in_progress, done, cancelled");
      },
      [&] { messages::add_field_error(errors, "status", "cannot be removed"); });
  read_string(
      body, "assignee_id", errors,
      [&](std::string v) {
        update.set_replace_assignees(true);
        update.add_assignees(std::move(v));
      },
      [&] { update.set_replace_assignees(true); });
  read_string(
      body, "due_date", errors,
      [&](const std::string& v) {
        std::int64_t ms = 0;
        if (read_due(v, errors, ms))
          update.set_due_at_ms(ms);
      },
      [&] { update.set_clear_due_at(true); });
  if (!errors.empty())
    return errors;
  return update;
}

}  // namespace taskflow::edge::v1
