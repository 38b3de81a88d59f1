#include "actors/user/user_decider.hpp"

#include <algorithm>

#include "actors/user/user_validation.hpp"
#include "messages/common/errors.hpp"

namespace taskflow::user {
namespace {

bool known_role(const std::string& role) {
  return role == "user" || role == "admin";
}

decision decide_register(const user_state& state, const messages::UserCommand& command, std::int64_t now_ms) {
  if (state.exists())
    return messages::make_error(messages::ERROR_CODE_CONFLICT, "A user with this id already exists.");
  const auto& reg = command.register_();
  messages::field_errors errors;
  validate_email(reg.email(), errors);
  validate_display_name(reg.display_name(), errors);
  if (!std::all_of(reg.roles().begin(), reg.roles().end(), known_role))
    messages::add_field_error(errors, "roles", R"(must be "user" or "admin")");
  if (reg.password_hash().empty())
    messages::add_field_error(errors, "password", "is required");
  if (!errors.empty())
    return messages::validation_error("The user has invalid fields.", std::move(errors));

  messages::EventEnvelope event;
  event.set_aggregate_type(aggregate_type);
  event.set_aggregate_id(command.user_id());
  event.set_version(1);
  event.set_occurred_at_ms(now_ms);
  auto& user = *event.mutable_user_registered()->mutable_user();
  user.set_id(command.user_id());
  user.set_email(reg.email());
  user.set_display_name(reg.display_name());
  // Everyone is a user; admin is granted on top.
  user.add_roles("user");
  for (const auto& role : reg.roles())
    if (role != "user")
      user.add_roles(role);
  user.set_created_at_ms(now_ms);
  user.set_version(1);
  return std::vector<messages::EventEnvelope>{std::move(event)};
}

}  // namespace

decision decide(const user_state& state, const messages::UserCommand& command, std::int64_t now_ms) {
  if (command.has_register_())
    return decide_register(state, command, now_ms);
  if (command.has_get()) {
    if (!state.exists())
      return messages::make_error(messages::ERROR_CODE_NOT_FOUND, "No user with this id.");
    return std::vector<messages::EventEnvelope>{};
  }
  return messages::make_error(messages::ERROR_CODE_VALIDATION, "The user command has no body.");
}

user_state apply(user_state state, const messages::EventEnvelope& event) {
  if (event.has_user_registered())
    state.snapshot = event.user_registered().user();
  state.snapshot.set_version(event.version());
  return state;
}

}  // namespace taskflow::user
