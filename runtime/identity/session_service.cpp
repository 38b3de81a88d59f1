#include "runtime/identity/session_service.hpp"

#include <algorithm>

#include "actors/credential/scopes.hpp"
#include "actors/session/session_decider.hpp"
#include "actors/user/user_validation.hpp"
#include "messages/ids/uuid.hpp"
#include "messages/time/unix_clock.hpp"
#include "runtime/codec/sha256.hpp"
#include "runtime/identity/secret_tokens.hpp"

namespace taskflow::runtime {

void session_service::ask_session(messages::SessionCommand command, std::function<void(messages::SessionReply)> done) {
  ctx_.requests.ask<messages::SessionReply>(std::move(command), ctx_.settings.request_timeout, std::move(done));
}

outcome<token_grant> session_service::issue_tokens(const messages::SessionSnapshot& session,
                                                   std::string refresh_token) const {
  auto now_s = clock::unix_now_ms() / 1000;
  access_claims claims;
  claims.subject = session.user_id();
  claims.session_id = session.id();
  claims.token_id = ids::new_uuid_v7();
  claims.roles.assign(session.roles().begin(), session.roles().end());
  claims.scopes = credential::all_scopes();
  claims.issued_at_s = now_s;
  // A token never outlives its session, so a revocation need only be
  // remembered until the session would have expired anyway.
  claims.expires_at_s = std::min(now_s + ctx_.settings.access_token_ttl.count(), session.expires_at_ms() / 1000);
  auto token = ctx_.tokens->issue(claims);
  if (!token)
    return messages::make_error(messages::ERROR_CODE_INTERNAL, "The access token could not be signed.");
  return token_grant{
      std::move(*token), claims.expires_at_s - now_s, session.id(), std::move(refresh_token), claims.scopes, {}};
}

std::optional<std::string> session_service::device_of(std::string_view device_token, const std::string& email) const {
  return ctx_.devices->device_of(device_token, user::normalize_email(email), clock::unix_now_ms() / 1000);
}

void session_service::sign_in(std::string email, std::string password, std::string device_id, std::string traceparent,
                              outcome_handler<token_grant> done) {
  if (email.empty() || password.empty() || password.size() > user::max_password_bytes)
    return done(unauthenticated("The email or password is wrong."));
  run_blocking(ctx_, done,
               [this, email = std::move(email), password = std::move(password), device_id = std::move(device_id),
                traceparent = std::move(traceparent), done]() {
                 auto normalized = user::normalize_email(email);
                 auto found = ctx_.identities->find_user_by_email(normalized);
                 if (!found)
                   return done(identity_store_unavailable(found.error()));
                 // An unknown email costs the same hash as a wrong password,
                 // so response times do not reveal which emails are registered.
                 bool ok = ctx_.hasher.verify(password, *found ? (*found)->password_hash : ctx_.dummy_hash) &&
                           found->has_value();
                 if (!ok)
                   return done(unauthenticated("The email or password is wrong."));
                 const auto& user = (*found)->snapshot;
                 auto session_id = ids::new_uuid_v7();
                 auto secret = random_token();
                 auto now = clock::unix_now_ms();
                 messages::SessionCommand cmd;
                 cmd.set_session_id(session_id);
                 cmd.set_command_id(ids::new_uuid_v7());
                 cmd.set_traceparent(traceparent);
                 auto& open = *cmd.mutable_open();
                 open.set_user_id(user.id());
                 *open.mutable_roles() = user.roles();
                 open.set_refresh_hash(sha256_hex(secret));
                 open.set_expires_at_ms(
                     now + std::chrono::duration_cast<std::chrono::milliseconds>(ctx_.settings.session_ttl).count());
                 open.set_access_ttl_ms(
                     std::chrono::duration_cast<std::chrono::milliseconds>(ctx_.settings.access_token_ttl).count());
                 auto refresh_token = session_id + "." + secret;
                 auto device_token =
                     ctx_.devices->issue(normalized, device_id.empty() ? ids::new_uuid_v7() : device_id, now / 1000);
                 ask_session(std::move(cmd), [this, done, refresh_token, device_token](messages::SessionReply reply) {
                   if (reply.has_error())
                     return done(std::move(*reply.mutable_error()));
                   auto grant = issue_tokens(reply.session(), refresh_token);
                   if (auto* issued = std::get_if<token_grant>(&grant))
                     issued->device_token = device_token;
                   done(std::move(grant));
                 });
               });
}

void session_service::refresh(std::string refresh_token, std::string traceparent, outcome_handler<token_grant> done) {
  auto dot = refresh_token.find('.');
  if (dot == std::string::npos || !ids::is_uuid(refresh_token.substr(0, dot)) || dot + 1 == refresh_token.size())
    return done(unauthenticated("The refresh token is not valid."));
  auto session_id = refresh_token.substr(0, dot);
  auto next_secret = random_token();
  messages::SessionCommand cmd;
  cmd.set_session_id(session_id);
  cmd.set_command_id(ids::new_uuid_v7());
  cmd.set_traceparent(std::move(traceparent));
  cmd.mutable_refresh()->set_presented_hash(sha256_hex(std::string_view{refresh_token}.substr(dot + 1)));
  cmd.mutable_refresh()->set_next_hash(sha256_hex(next_secret));
  auto next_token = session_id + "." + next_secret;
  ask_session(std::move(cmd), [this, done, next_token](messages::SessionReply reply) {
    if (!reply.has_error())
      return done(issue_tokens(reply.session(), next_token));
    // A reused token has just revoked the session.
    if (reply.has_revoked())
      remember_revocation(reply.revoked());
    done(std::move(*reply.mutable_error()));
  });
}

void session_service::remember_revocation(const messages::SessionSnapshot& session) const {
  ctx_.revoked->revoke(session.id(), session::revocation_lasts_until_ms(session, session.revoked_at_ms()));
}

void session_service::sign_out(const authenticated& who, std::string traceparent, outcome_handler<bool> done) {
  if (who.session_id.empty())
    return done(messages::make_error(messages::ERROR_CODE_NOT_FOUND,
                                     "This credential is not a session; sign out applies to session access tokens."));
  messages::SessionCommand cmd;
  cmd.set_session_id(who.session_id);
  cmd.set_command_id(ids::new_uuid_v7());
  cmd.set_traceparent(std::move(traceparent));
  cmd.mutable_end()->set_reason("logout");
  ask_session(std::move(cmd), [this, done](messages::SessionReply reply) {
    if (reply.has_error())
      return done(std::move(*reply.mutable_error()));
    remember_revocation(reply.session());
    done(true);
  });
}

}  // namespace taskflow::runtime
