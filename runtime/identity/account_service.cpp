#include "runtime/identity/account_service.hpp"

#include "actors/user/user_validation.hpp"
#include "messages/ids/uuid.hpp"

namespace taskflow::runtime {

void account_service::ask_user(messages::UserCommand command, outcome_handler<messages::UserSnapshot> done) {
  ctx_.requests.ask<messages::UserReply>(std::move(command), ctx_.settings.request_timeout,
                                         [done = std::move(done)](messages::UserReply reply) {
                                           if (reply.has_error())
                                             return done(std::move(*reply.mutable_error()));
                                           done(std::move(*reply.mutable_user()));
                                         });
}

void account_service::register_user(registration request, std::string traceparent,
                                    outcome_handler<messages::UserSnapshot> done) {
  messages::field_errors errors;
  user::validate_email(request.email, errors);
  user::validate_password(request.password, errors);
  user::validate_display_name(request.display_name, errors);
  if (!errors.empty())
    return done(messages::validation_error("The request has invalid fields.", std::move(errors)));
  run_blocking(ctx_, done, [this, request = std::move(request), traceparent = std::move(traceparent), done]() {
    auto hash = ctx_.hasher.hash(request.password);
    if (!hash)
      return done(messages::make_error(messages::ERROR_CODE_INTERNAL, "The password could not be hashed."));
    messages::UserCommand cmd;
    cmd.set_user_id(ids::new_uuid_v7());
    cmd.set_command_id(ids::new_uuid_v7());
    cmd.set_traceparent(traceparent);
    auto& reg = *cmd.mutable_register_();
    reg.set_email(request.email);
    reg.set_display_name(request.display_name);
    reg.set_password_hash(std::move(*hash));
    for (const auto& role : request.roles)
      reg.add_roles(role);
    ask_user(std::move(cmd), done);
  });
}

void account_service::current_user(const authenticated& who, outcome_handler<messages::UserSnapshot> done) {
  if (who.via == authenticated::kind::client)
    return done(
        messages::make_error(messages::ERROR_CODE_NOT_FOUND, "A client-credentials token does not belong to a user."));
  messages::UserCommand cmd;
  cmd.set_user_id(who.principal.id());
  *cmd.mutable_principal() = who.principal;
  cmd.mutable_get();
  ask_user(std::move(cmd), std::move(done));
}

}  // namespace taskflow::runtime
