#include "runtime/edge_api/assignee_check.hpp"

#include "actors/ports/store_error.hpp"
#include "messages/common/errors.hpp"
#include "messages/ids/uuid.hpp"

namespace taskflow::runtime {

std::vector<std::string> assignee_check::assigned_by(const messages::TaskCommand& command) {
  const google::protobuf::RepeatedPtrField<std::string>* ids = nullptr;
  if (command.has_create())
    ids = &command.create().assignees();
  else if (command.has_update() && command.update().replace_assignees())
    ids = &command.update().assignees();
  std::vector<std::string> out;
  if (ids)
    for (const auto& id : *ids)
      if (ids::is_uuid(id))
        out.push_back(id);
  return out;
}

std::optional<messages::Error> assignee_check::unknown_among(const std::vector<std::string>& ids) {
  for (const auto& id : ids) {
    if (remembered(id))
      continue;
    auto found = users_->load_user(id);
    if (!found)
      return messages::make_error(messages::ERROR_CODE_UNAVAILABLE,
                                  "Cannot check the assignees: " + ports::error_detail(found.error()));
    if (!*found || !(*found)->exists()) {
      messages::field_errors errors;
      messages::add_field_error(errors, "assignee_id", "must be the id of a registered user; " + id + " is not");
      return messages::validation_error("No user has this id.", std::move(errors));
    }
    remember(id);
  }
  return std::nullopt;
}

bool assignee_check::remembered(const std::string& id) {
  std::lock_guard lock{mutex_};
  return known_.count(id) > 0;
}

void assignee_check::remember(const std::string& id) {
  std::lock_guard lock{mutex_};
  // A crude bound: starting over costs one store read per user seen again.
  if (known_.size() >= max_remembered)
    known_.clear();
  known_.insert(id);
}

}  // namespace taskflow::runtime
