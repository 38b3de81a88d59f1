#include "actors/task/task_validation.hpp"

#include <set>

#include "actors/task/task_limits.hpp"
#include "messages/common/text_checks.hpp"
#include "messages/ids/uuid.hpp"

namespace taskflow::task {

void validate_title(std::string_view title, field_errors& errors) {
  if (text::is_blank(title))
    messages::add_field_error(errors, "title", "must not be empty or blank");
  else if (text::utf8_length(title) > limits::max_title_chars)
    messages::add_field_error(errors, "title", "must be at most 200 characters");
  else if (text::has_control_characters(title))
    messages::add_field_error(errors, "title", "must not contain control characters");
}

void validate_description(std::string_view description, field_errors& errors) {
  if (text::utf8_length(description) > limits::max_description_chars)
    messages::add_field_error(errors, "description", "must be at most 10000 characters");
  else if (text::has_control_characters(description, true))
    messages::add_field_error(errors, "description",
                              "must not contain control characters other than tabs and line breaks");
}

void validate_priority(int priority, field_errors& errors) {
  if (priority < limits::min_priority || priority > limits::max_priority)
    messages::add_field_error(errors, "priority", "must be an integer from 1 (low) to 4 (urgent)");
}

void validate_due_at(std::int64_t due_at_ms, field_errors& errors) {
  if (due_at_ms < limits::min_due_at_ms || due_at_ms > limits::max_due_at_ms)
    messages::add_field_error(errors, "due_date", "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
}

void validate_assignees(const std::vector<std::string>& assignees, field_errors& errors) {
  if (assignees.size() > limits::max_assignees)
    messages::add_field_error(errors, "assignees", "at most 20 assignees");
  std::set<std::string_view> seen;
  for (const auto& id : assignees) {
    if (!ids::is_uuid(id)) {
      messages::add_field_error(errors, "assignee_id", "must be a user id (UUID)");
      return;
    }
    if (!seen.insert(id).second) {
      messages::add_field_error(errors, "assignees", "must not repeat a user");
      return;
    }
  }
}

void validate_tags(const std::vector<std::string>& tags, field_errors& errors) {
  if (tags.size() > limits::max_tags)
    messages::add_field_error(errors, "tags", "at most 20 tags");
  for (const auto& tag : tags) {
    if (text::is_blank(tag) || text::utf8_length(tag) > limits::max_tag_chars) {
      messages::add_field_error(errors, "tags", "each tag must be 1 to 50 characters");
      return;
    }
    if (text::has_control_characters(tag)) {
      messages::add_field_error(errors, "tags", "must not contain control characters");
      return;
    }
  }
}

void validate_external_ref(const messages::ExternalRef& ref, field_errors& errors) {
  if (text::is_blank(ref.source()) || text::utf8_length(ref.source()) > limits::max_external_source_chars)
    messages::add_field_error(errors, "source", "must be 1 to 100 characters when external_id is given");
  else if (text::has_control_characters(ref.source()))
    messages::add_field_error(errors, "source", "must not contain control characters");
  if (text::is_blank(ref.id()) || text::utf8_length(ref.id()) > limits::max_external_id_chars)
    messages::add_field_error(errors, "external_id", "must be 1 to 200 characters when source is given");
  else if (text::has_control_characters(ref.id()))
    messages::add_field_error(errors, "external_id", "must not contain control characters");
}

}  // namespace taskflow::task
