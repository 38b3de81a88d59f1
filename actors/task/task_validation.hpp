// Field rules of the task model, shared by create and update. Each function
// appends to `errors` and never throws, so one answer lists every problem.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messages/common/field_errors.hpp"
#include "messages/task/task.pb.h"

namespace taskflow::task {

using messages::field_errors;

void validate_title(std::string_view title, field_errors& errors);
void validate_description(std::string_view description, field_errors& errors);
void validate_priority(int priority, field_errors& errors);
void validate_due_at(std::int64_t due_at_ms, field_errors& errors);
void validate_assignees(const std::vector<std::string>& assignees, field_errors& errors);
void validate_tags(const std::vector<std::string>& tags, field_errors& errors);
void validate_external_ref(const messages::ExternalRef& ref, field_errors& errors);

}  // namespace taskflow::task
