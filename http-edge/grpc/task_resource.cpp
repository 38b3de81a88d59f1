#include "http-edge/grpc/task_resource.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "http-edge/pagination/page_cursor.hpp"
#include "http-edge/pagination/page_limit.hpp"
#include "http-edge/v2/task_mapper_v2.hpp"
#include "messages/ids/uuid.hpp"
#include "messages/task/client_version.hpp"

namespace taskflow::edge::grpc_api {
namespace {

namespace v1 = taskflow::v1;
using google::protobuf::Timestamp;

// google.protobuf.Timestamp's range: 0001-01-01 to 9999-12-31.
constexpr std::int64_t min_timestamp_seconds = -62'135'596'800;
constexpr std::int64_t max_timestamp_seconds = 253'402'300'799;

Timestamp timestamp_of(std::int64_t ms) {
  Timestamp out;
  auto seconds = ms / 1000;
  auto rest = ms % 1000;
  if (rest < 0) {
    seconds -= 1;
    rest += 1000;
  }
  out.set_seconds(seconds);
  out.set_nanos(static_cast<std::int32_t>(rest * 1'000'000));
  return out;
}

std::optional<std::int64_t> ms_of(const Timestamp& t) {
  if (t.seconds() < min_timestamp_seconds || t.seconds() > max_timestamp_seconds || t.nanos() < 0 ||
      t.nanos() > 999'999'999)
    return std::nullopt;
  return t.seconds() * 1000 + t.nanos() / 1'000'000;
}

// The domain's 1..4 and the enum's values are the same numbers.
bool read_priority(v1::Priority priority, const char* field, field_errors& errors, int& out) {
  if (priority < v1::PRIORITY_LOW || priority > v1::PRIORITY_URGENT) {
    messages::add_field_error(errors, field, "must be PRIORITY_LOW, PRIORITY_MEDIUM, PRIORITY_HIGH or PRIORITY_URGENT");
    return false;
  }
  out = priority;
  return true;
}

bool read_status(v1::TaskStatus status, const char* field, field_errors& errors, messages::TaskStatus& out) {
  if (status < v1::TASK_STATUS_TODO || status > v1::TASK_STATUS_CANCELLED) {
    messages::add_field_error(errors, field,
                              "must be TASK_STATUS_TODO, TASK_STATUS_IN_PROGRESS, TASK_STATUS_DONE or "
                              "TASK_STATUS_CANCELLED");
    return false;
  }
  out = static_cast<messages::TaskStatus>(status);
  return true;
}

bool read_due(const Timestamp& due, field_errors& errors, std::int64_t& out) {
  auto ms = ms_of(due);
  if (!ms) {
    messages::add_field_error(errors, "task.due_at", "must be a valid timestamp between years 1 and 9999");
    return false;
  }
  out = *ms;
  return true;
}

// Updatable fields, by their mask path.
enum class path { title, description, priority, assignees, due_at, tags, status };
constexpr std::array<std::string_view, 7> output_only_paths{
    "id", "owner_id", "version", "created_at", "updated_at", "external_ref", "state.changed_at"};

std::optional<path> updatable(std::string_view name) {
  if (name == "title")
    return path::title;
  if (name == "description")
    return path::description;
  if (name == "priority")
    return path::priority;
  if (name == "assignees")
    return path::assignees;
  if (name == "due_at")
    return path::due_at;
  if (name == "tags")
    return path::tags;
  if (name == "state" || name == "state.status")
    return path::status;
  return std::nullopt;
}

bool output_only(std::string_view name) {
  return std::find(output_only_paths.begin(), output_only_paths.end(), name) != output_only_paths.end() ||
         name.substr(0, 13) == "external_ref.";
}

void apply_path(path p, const v1::Task& task, bool replace_all, field_errors& errors, messages::UpdateTask& update) {
  switch (p) {
    case path::title:
      update.set_title(task.title());
      break;
    case path::description:
      update.set_description(task.description());
      break;
    case path::priority: {
      int priority = 2;
      // A full replacement without a priority means the default, as on create.
      if (!(replace_all && task.priority() == v1::PRIORITY_UNSPECIFIED) &&
          !read_priority(task.priority(), "task.priority", errors, priority))
        break;
      update.set_priority(priority);
      break;
    }
    case path::assignees:
      update.set_replace_assignees(true);
      *update.mutable_assignees() = task.assignees();
      break;
    case path::due_at:
      if (!task.has_due_at()) {
        update.set_clear_due_at(true);
        break;
      }
      if (std::int64_t due = 0; read_due(task.due_at(), errors, due))
        update.set_due_at_ms(due);
      break;
    case path::tags:
      update.set_replace_tags(true);
      *update.mutable_tags() = task.tags();
      break;
    case path::status: {
      // A full replacement leaves the status alone unless it names one.
      if (replace_all && task.state().status() == v1::TASK_STATUS_UNSPECIFIED)
        break;
      messages::TaskStatus status{};
      if (read_status(task.state().status(), "task.state.status", errors, status))
        update.set_status(status);
      break;
    }
  }
}

}  // namespace

v1::Task to_resource(const messages::TaskSnapshot& task) {
  v1::Task out;
  out.set_id(task.id());
  out.set_title(task.title());
  out.set_description(task.description());
  auto* state = out.mutable_state();
  state->set_status(static_cast<v1::TaskStatus>(task.status()));
  *state->mutable_changed_at() = timestamp_of(task.status_changed_at_ms());
  out.set_priority(task.priority() >= 1 && task.priority() <= 4 ? static_cast<v1::Priority>(task.priority())
                                                                : v1::PRIORITY_MEDIUM);
  *out.mutable_assignees() = task.assignees();
  if (task.has_due_at_ms())
    *out.mutable_due_at() = timestamp_of(task.due_at_ms());
  *out.mutable_tags() = task.tags();
  if (task.has_external_ref()) {
    out.mutable_external_ref()->set_source(task.external_ref().source());
    out.mutable_external_ref()->set_id(task.external_ref().id());
  }
  out.set_owner_id(task.owner_id());
  *out.mutable_created_at() = timestamp_of(task.created_at_ms());
  *out.mutable_updated_at() = timestamp_of(task.updated_at_ms());
  out.set_version(messages::client_version(task));
  return out;
}

std::variant<messages::CreateTask, field_errors> create_from_resource(const v1::Task& task) {
  field_errors errors;
  messages::CreateTask create;
  create.set_title(task.title());
  create.set_description(task.description());
  if (task.priority() != v1::PRIORITY_UNSPECIFIED)
    if (int priority = 0; read_priority(task.priority(), "task.priority", errors, priority))
      create.set_priority(priority);
  *create.mutable_assignees() = task.assignees();
  if (task.has_due_at())
    if (std::int64_t due = 0; read_due(task.due_at(), errors, due))
      create.set_due_at_ms(due);
  *create.mutable_tags() = task.tags();
  if (task.has_external_ref()) {
    create.mutable_external_ref()->set_source(task.external_ref().source());
    create.mutable_external_ref()->set_id(task.external_ref().id());
  }
  if (!errors.empty())
    return errors;
  return create;
}

std::variant<messages::UpdateTask, field_errors> update_from_resource(const v1::Task& task,
                                                                      const google::protobuf::FieldMask* mask) {
  field_errors errors;
  messages::UpdateTask update;
  if (!mask || mask->paths_size() == 0) {
    auto implied = [&](bool set, path p) {
      if (set)
        apply_path(p, task, false, errors, update);
    };
    implied(!task.title().empty(), path::title);
    implied(!task.description().empty(), path::description);
    implied(task.priority() != v1::PRIORITY_UNSPECIFIED, path::priority);
    implied(task.assignees_size() > 0, path::assignees);
    implied(task.has_due_at(), path::due_at);
    implied(task.tags_size() > 0, path::tags);
    implied(task.state().status() != v1::TASK_STATUS_UNSPECIFIED, path::status);
  } else if (mask->paths_size() == 1 && mask->paths(0) == "*") {
    for (auto p :
         {path::title, path::description, path::priority, path::assignees, path::due_at, path::tags, path::status})
      apply_path(p, task, true, errors, update);
  } else {
    for (const auto& name : mask->paths()) {
      if (auto p = updatable(name))
        apply_path(*p, task, false, errors, update);
      else if (!output_only(name))
        messages::add_field_error(errors, "update_mask",
                                  "names '" + name.substr(0, 64) +
                                      "', which is no field of a task; updatable are title, description, priority, "
                                      "assignees, due_at, tags, state.status, or * alone");
    }
  }
  if (!errors.empty())
    return errors;
  return update;
}

field_errors read_list_request(const v1::ListTasksRequest& request, messages::ListTasksQuery& query) {
  field_errors errors;
  if (request.status() != v1::TASK_STATUS_UNSPECIFIED) {
    messages::TaskStatus status{};
    if (read_status(request.status(), "status", errors, status))
      query.set_status(status);
  }
  if (!request.assignee().empty()) {
    if (ids::is_uuid(request.assignee()))
      query.set_assignee_id(request.assignee());
    else
      messages::add_field_error(errors, "assignee", "must be a user id (UUID)");
  }
  // AIP-158: a size above the maximum is served at the maximum.
  if (request.page_size() < 0)
    messages::add_field_error(errors, "page_size", "must not be negative");
  query.set_limit(request.page_size() == 0 ? default_page_limit : std::min(request.page_size(), max_page_limit));
  auto* keyset = query.mutable_keyset();
  if (!request.page_token().empty() && errors.empty()) {
    if (auto after = decode_page_cursor(request.page_token(), task_list_filter(query)))
      *keyset->mutable_after() = std::move(*after);
    else
      messages::add_field_error(errors, "page_token",
                                "is not a next_page_token of this list; start again without one, with the same status "
                                "and assignee");
  }
  return errors;
}

v1::ListTasksResponse to_list_response(const messages::TaskPage& page, const messages::ListTasksQuery& query) {
  v1::ListTasksResponse out;
  for (const auto& task : page.items())
    *out.add_tasks() = to_resource(task);
  if (page.has_more() && page.items_size() > 0) {
    const auto& last = page.items(page.items_size() - 1);
    messages::TaskListPosition after;
    after.set_created_at_ms(last.created_at_ms());
    after.set_id(last.id());
    out.set_next_page_token(encode_page_cursor(after, task_list_filter(query)));
  }
  return out;
}

std::string request_field(const std::string& domain_field) {
  // The resource has the v2 shape, so v2's names for the domain's fields,
  // except that the status lives under state.
  if (domain_field == "status")
    return "task.state.status";
  return "task." + v2::task_mapper_v2{}.field_name(domain_field);
}

}  // namespace taskflow::edge::grpc_api
