#include "runtime/gateway/identity_gateway.hpp"

#include <algorithm>
#include <future>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "actors/session/session_decider.hpp"
#include "actors/user/user_validation.hpp"
#include "messages/common/errors.hpp"
#include "messages/common/text_checks.hpp"
#include "messages/ids/uuid.hpp"
#include "messages/time/unix_clock.hpp"
#include "runtime/codec/sha256.hpp"
#include "runtime/identity/secret_tokens.hpp"

namespace taskflow::runtime {
namespace {

constexpr std::size_t pool_threads = 2;
constexpr std::size_t max_name_chars = 100;
constexpr auto api_key_marker = "tfk_";

messages::Error unauthenticated(std::string detail) {
  return messages::make_error(messages::ERROR_CODE_UNAUTHENTICATED, std::move(detail));
}

messages::Error unavailable(const caf::error& cause) {
  return messages::make_error(messages::ERROR_CODE_UNAVAILABLE,
                              "The identity store is unavailable: " + ports::error_detail(cause));
}

messages::Error validation(messages::field_errors errors) {
  auto e = messages::make_error(messages::ERROR_CODE_VALIDATION, "The request has invalid fields.");
  for (auto& fe : errors)
    *e.add_field_errors() = std::move(fe);
  return e;
}

bool has_role(const messages::Principal& p, const std::string& role) {
  return std::find(p.roles().begin(), p.roles().end(), role) != p.roles().end();
}

void validate_scopes(const std::vector<std::string>& scopes, messages::field_errors& errors) {
  if (scopes.empty())
    messages::add_field_error(errors, "scopes", "must name at least one scope");
  for (const auto& s : scopes)
    if (!is_known_scope(s)) {
      messages::add_field_error(errors, "scopes", "unknown scope '" + s + "' (known: tasks:read, tasks:write)");
      break;
    }
}

void validate_name(const std::string& name, messages::field_errors& errors) {
  if (text::is_blank(name))
    messages::add_field_error(errors, "name", "must not be empty or blank");
  else if (text::utf8_length(name) > max_name_chars)
    messages::add_field_error(errors, "name", "must be at most 100 characters");
}

std::vector<std::string> deduplicated(std::vector<std::string> xs) {
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  return xs;
}

}  // namespace

const std::vector<std::string>& user_scopes() {
  static const std::vector<std::string> scopes{"tasks:read", "tasks:write"};
  return scopes;
}

bool is_known_scope(const std::string& scope) {
  const auto& all = user_scopes();
  return std::find(all.begin(), all.end(), scope) != all.end();
}

identity_gateway::identity_gateway(caf::actor_system& system, std::shared_ptr<ports::identity_store> identities,
                                   std::shared_ptr<ports::credential_store> credentials,
                                   std::shared_ptr<access_token_codec> tokens, std::shared_ptr<revocation_set> revoked,
                                   std::shared_ptr<api_key_cache> api_keys, identity_settings settings,
                                   password_hasher hasher, shard_request_env routing)
    : identities_(std::move(identities)),
      credentials_(std::move(credentials)),
      tokens_(std::move(tokens)),
      revoked_(std::move(revoked)),
      api_keys_(std::move(api_keys)),
      settings_(settings),
      hasher_(hasher),
      requests_(system, std::move(routing)),
      dummy_hash_(hasher_.hash(random_token()).value_or("")),
      pool_(std::make_unique<boost::asio::thread_pool>(pool_threads)) {}

identity_gateway::~identity_gateway() {
  pool_->join();
}

void identity_gateway::ask_session(messages::SessionCommand command, std::function<void(messages::SessionReply)> done) {
  requests_.ask<messages::SessionReply>(std::move(command), settings_.request_timeout, std::move(done));
}

void identity_gateway::ask_user(messages::UserCommand command, std::function<void(messages::UserReply)> done) {
  requests_.ask<messages::UserReply>(std::move(command), settings_.request_timeout, std::move(done));
}

void identity_gateway::register_user(registration request, std::string traceparent,
                                     outcome_handler<messages::UserSnapshot> done) {
  messages::field_errors errors;
  user::validate_email(request.email, errors);
  user::validate_password(request.password, errors);
  user::validate_display_name(request.display_name, errors);
  if (!errors.empty())
    return done(validation(std::move(errors)));
  boost::asio::post(*pool_, [this, request = std::move(request), traceparent = std::move(traceparent), done]() {
    auto hash = hasher_.hash(request.password);
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
    ask_user(std::move(cmd), [done](messages::UserReply reply) {
      if (reply.has_error())
        return done(std::move(*reply.mutable_error()));
      done(std::move(*reply.mutable_user()));
    });
  });
}

outcome<token_grant> identity_gateway::issue_session_tokens(const messages::SessionSnapshot& session,
                                                            std::string refresh_token) const {
  auto now_s = clock::unix_now_ms() / 1000;
  access_claims claims;
  claims.subject = session.user_id();
  claims.session_id = session.id();
  claims.token_id = ids::new_uuid_v7();
  claims.roles.assign(session.roles().begin(), session.roles().end());
  claims.scopes = user_scopes();
  claims.issued_at_s = now_s;
  // A token never outlives its session, so a revocation need only be
  // remembered until the session would have expired anyway.
  claims.expires_at_s = std::min(now_s + settings_.access_token_ttl.count(), session.expires_at_ms() / 1000);
  auto token = tokens_->issue(claims);
  if (!token)
    return messages::make_error(messages::ERROR_CODE_INTERNAL, "The access token could not be signed.");
  return token_grant{std::move(*token), claims.expires_at_s - now_s, session.id(), std::move(refresh_token),
                     claims.scopes};
}

void identity_gateway::sign_in(std::string email, std::string password, std::string traceparent,
                               outcome_handler<token_grant> done) {
  if (email.empty() || password.empty() || password.size() > user::max_password_bytes)
    return done(unauthenticated("The email or password is wrong."));
  boost::asio::post(*pool_, [this, email = std::move(email), password = std::move(password),
                             traceparent = std::move(traceparent), done]() {
    auto found = identities_->find_user_by_email(user::normalize_email(email));
    if (!found)
      return done(unavailable(found.error()));
    // An unknown email costs the same hash as a wrong password, so response
    // times do not reveal which emails are registered.
    bool ok = hasher_.verify(password, *found ? (*found)->password_hash : dummy_hash_) && found->has_value();
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
    open.set_expires_at_ms(now + std::chrono::duration_cast<std::chrono::milliseconds>(settings_.session_ttl).count());
    open.set_access_ttl_ms(std::chrono::duration_cast<std::chrono::milliseconds>(settings_.access_token_ttl).count());
    auto refresh_token = session_id + "." + secret;
    ask_session(std::move(cmd), [this, done, refresh_token](messages::SessionReply reply) {
      if (reply.has_error())
        return done(std::move(*reply.mutable_error()));
      done(issue_session_tokens(reply.session(), refresh_token));
    });
  });
}

void identity_gateway::refresh(std::string refresh_token, std::string traceparent, outcome_handler<token_grant> done) {
  auto dot = refresh_token.find('.');
  if (dot == std::string::npos || !ids::is_uuid(refresh_token.substr(0, dot)) || dot + 1 == refresh_token.size())
    return done(unauthenticated("The refresh token is not valid."));
  auto session_id = refresh_token.substr(0, dot);
  auto next_secret = random_token();
  messages::SessionCommand cmd;
  cmd.set_session_id(session_id);
  cmd.set_command_id(ids::new_uuid_v7());
  cmd.set_traceparent(traceparent);
  cmd.mutable_refresh()->set_presented_hash(sha256_hex(std::string_view{refresh_token}.substr(dot + 1)));
  cmd.mutable_refresh()->set_next_hash(sha256_hex(next_secret));
  auto next_token = session_id + "." + next_secret;
  ask_session(std::move(cmd), [this, done, next_token](messages::SessionReply reply) {
    if (!reply.has_error())
      return done(issue_session_tokens(reply.session(), next_token));
    // A reused token has just revoked the session: refuse its access tokens
    // here at once, before the revocation event comes round.
    if (reply.has_revoked())
      remember_revocation(reply.revoked());
    done(std::move(*reply.mutable_error()));
  });
}

void identity_gateway::remember_revocation(const messages::SessionSnapshot& session) const {
  revoked_->revoke(session.id(), session::revocation_lasts_until_ms(session, session.revoked_at_ms()));
}

void identity_gateway::sign_out(const authenticated& who, std::string traceparent, outcome_handler<bool> done) {
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

void identity_gateway::current_user(const authenticated& who, outcome_handler<messages::UserSnapshot> done) {
  if (who.via == authenticated::kind::client)
    return done(
        messages::make_error(messages::ERROR_CODE_NOT_FOUND, "A client-credentials token does not belong to a user."));
  messages::UserCommand cmd;
  cmd.set_user_id(who.principal.id());
  *cmd.mutable_principal() = who.principal;
  cmd.mutable_get();
  ask_user(std::move(cmd), [done](messages::UserReply reply) {
    if (reply.has_error())
      return done(std::move(*reply.mutable_error()));
    done(std::move(*reply.mutable_user()));
  });
}

void identity_gateway::create_api_key(const authenticated& who, std::string name, std::vector<std::string> scopes,
                                      outcome_handler<created_api_key> done) {
  // A key must not mint keys: a read-only key could otherwise make itself a
  // writable one. Only a signed-in user manages keys.
  if (who.via != authenticated::kind::session)
    return done(
        messages::make_error(messages::ERROR_CODE_FORBIDDEN, "API keys are managed with a session access token."));
  messages::field_errors errors;
  validate_name(name, errors);
  validate_scopes(scopes, errors);
  if (!errors.empty())
    return done(validation(std::move(errors)));
  boost::asio::post(*pool_, [this, user_id = who.principal.id(), name = std::move(name),
                             scopes = deduplicated(std::move(scopes)), done]() {
    created_api_key out;
    auto prefix = random_token(6);
    out.key = api_key_marker + prefix + "_" + random_token(32);
    out.record.id = ids::new_uuid_v7();
    out.record.user_id = user_id;
    out.record.name = name;
    out.record.prefix = api_key_marker + prefix;
    out.record.key_hash = sha256_hex(out.key);
    out.record.scopes = scopes;
    out.record.created_at_ms = clock::unix_now_ms();
    if (auto inserted = credentials_->insert_api_key(out.record); !inserted)
      return done(unavailable(inserted.error()));
    done(std::move(out));
  });
}

void identity_gateway::revoke_api_key(const authenticated& who, std::string key_id, std::string traceparent,
                                      outcome_handler<bool> done) {
  if (who.via != authenticated::kind::session)
    return done(
        messages::make_error(messages::ERROR_CODE_FORBIDDEN, "API keys are managed with a session access token."));
  boost::asio::post(*pool_, [this, user_id = who.principal.id(), key_id = std::move(key_id),
                             traceparent = std::move(traceparent), done]() {
    auto now = clock::unix_now_ms();
    messages::EventEnvelope event;
    event.set_event_id(ids::new_uuid_v7());
    event.set_aggregate_type("api_key");
    event.set_aggregate_id(key_id);
    event.set_version(1);
    event.set_occurred_at_ms(now);
    event.set_traceparent(traceparent);
    event.mutable_api_key_revoked()->set_user_id(user_id);
    auto revoked = credentials_->revoke_api_key(user_id, key_id, now, std::move(event));
    if (!revoked) {
      if (ports::is(revoked.error(), ports::store_errc::not_found))
        return done(messages::make_error(messages::ERROR_CODE_NOT_FOUND, "No API key with this id."));
      return done(unavailable(revoked.error()));
    }
    // At once on this edge; the others evict it when the event comes round.
    api_keys_->evict(revoked->key_hash);
    done(true);
  });
}

void identity_gateway::create_client(const authenticated& who, std::string name, std::vector<std::string> scopes,
                                     outcome_handler<created_client> done) {
  if (!has_role(who.principal, "admin") || who.via == authenticated::kind::client)
    return done(messages::make_error(messages::ERROR_CODE_FORBIDDEN, "Only an admin may create OAuth2 clients."));
  messages::field_errors errors;
  validate_name(name, errors);
  validate_scopes(scopes, errors);
  if (!errors.empty())
    return done(validation(std::move(errors)));
  boost::asio::post(*pool_, [this, creator = who.principal.id(), name = std::move(name),
                             scopes = deduplicated(std::move(scopes)), done]() {
    created_client out;
    out.secret = random_token(32);
    out.record.client_id = "tfc_" + random_token(12);
    out.record.name = name;
    out.record.secret_hash = sha256_hex(out.secret);
    out.record.scopes = scopes;
    out.record.created_by = creator;
    out.record.created_at_ms = clock::unix_now_ms();
    if (auto inserted = credentials_->insert_client(out.record); !inserted)
      return done(unavailable(inserted.error()));
    done(std::move(out));
  });
}

void identity_gateway::client_token(std::string client_id, std::string client_secret, std::vector<std::string> scopes,
                                    outcome_handler<token_grant> done) {
  boost::asio::post(*pool_, [this, client_id = std::move(client_id), client_secret = std::move(client_secret),
                             scopes = std::move(scopes), done]() {
    auto found = credentials_->find_client(client_id);
    if (!found)
      return done(unavailable(found.error()));
    // Compare even for an unknown client, so timing does not reveal which ids exist.
    auto expected = *found ? (*found)->secret_hash : sha256_hex(dummy_hash_);
    if (!constant_time_equal(sha256_hex(client_secret), expected) || !found->has_value())
      return done(unauthenticated("The client id or secret is wrong."));
    const auto& client = **found;
    auto granted = scopes.empty() ? client.scopes : deduplicated(scopes);
    for (const auto& s : granted)
      if (std::find(client.scopes.begin(), client.scopes.end(), s) == client.scopes.end())
        return done(
            messages::make_error(messages::ERROR_CODE_FORBIDDEN, "The client may not request the scope '" + s + "'."));
    auto now_s = clock::unix_now_ms() / 1000;
    access_claims claims;
    claims.subject = client.client_id;
    claims.token_id = ids::new_uuid_v7();
    claims.roles = {"service"};
    claims.scopes = granted;
    claims.issued_at_s = now_s;
    claims.expires_at_s = now_s + settings_.access_token_ttl.count();
    auto token = tokens_->issue(claims);
    if (!token)
      return done(messages::make_error(messages::ERROR_CODE_INTERNAL, "The access token could not be signed."));
    done(token_grant{std::move(*token), settings_.access_token_ttl.count(), {}, {}, granted});
  });
}

outcome<authenticated> identity_gateway::authenticate_bearer(std::string_view token) const {
  auto now_ms = clock::unix_now_ms();
  auto cached = verified_.find(token, now_ms / 1000);
  if (!cached) {
    auto verified = tokens_->verify(token, now_ms / 1000);
    if (auto* rejected = std::get_if<token_rejection>(&verified))
      return unauthenticated("The access token is invalid: " + rejected->reason + ".");
    cached = std::get<access_claims>(std::move(verified));
    verified_.remember(token, *cached);
  }
  auto& claims = *cached;
  if (!claims.session_id.empty() && revoked_->is_revoked(claims.session_id, now_ms))
    return unauthenticated("The session of this access token has ended.");
  authenticated who;
  who.principal.set_id(claims.subject);
  for (auto& r : claims.roles)
    who.principal.add_roles(std::move(r));
  for (auto& s : claims.scopes)
    who.principal.add_scopes(std::move(s));
  who.session_id = std::move(claims.session_id);
  who.via = who.session_id.empty() ? authenticated::kind::client : authenticated::kind::session;
  return who;
}

void identity_gateway::authenticate_api_key(std::string_view key, outcome_handler<authenticated> done) {
  if (key.rfind(api_key_marker, 0) != 0 || key.size() > 256)
    return done(unauthenticated("The API key is invalid."));
  // Lookup is by the hash of the whole key, so the database never compares
  // the secret itself and no prefix of it decides the timing.
  auto key_hash = sha256_hex(key);
  if (auto principal = api_keys_->find(key_hash)) {
    authenticated who;
    who.via = authenticated::kind::api_key;
    who.principal = std::move(*principal);
    return done(std::move(who));
  }
  auto evictions = api_keys_->evictions();
  boost::asio::post(*pool_, [this, key_hash = std::move(key_hash), evictions, done = std::move(done)] {
    auto who = look_up_api_key(key_hash);
    if (auto* found = std::get_if<authenticated>(&who))
      api_keys_->remember(key_hash, found->principal, evictions);
    done(std::move(who));
  });
}

outcome<authenticated> identity_gateway::look_up_api_key(const std::string& key_hash) const {
  auto found = credentials_->find_api_key(key_hash);
  if (!found)
    return unavailable(found.error());
  if (!*found || (*found)->revoked_at_ms)
    return unauthenticated("The API key is invalid or revoked.");
  const auto& record = **found;
  auto owner = identities_->load_user(record.user_id);
  if (!owner)
    return unavailable(owner.error());
  if (!*owner)
    return unauthenticated("The API key's user no longer exists.");
  authenticated who;
  who.via = authenticated::kind::api_key;
  who.principal.set_id(record.user_id);
  *who.principal.mutable_roles() = (*owner)->snapshot.roles();
  for (const auto& s : record.scopes)
    who.principal.add_scopes(s);
  return who;
}

outcome<bool> identity_gateway::ensure_admin(const std::string& email, const std::string& password) {
  auto found = identities_->find_user_by_email(user::normalize_email(email));
  if (!found)
    return unavailable(found.error());
  if (*found)
    return false;
  std::promise<outcome<messages::UserSnapshot>> promise;
  auto result = promise.get_future();
  register_user({email, password, "Administrator", {"admin"}}, {},
                [&promise](outcome<messages::UserSnapshot> r) { promise.set_value(std::move(r)); });
  auto created = result.get();
  if (auto* e = std::get_if<messages::Error>(&created)) {
    // Nodes of a cluster start together with the same bootstrap admin; the
    // one that lost the race finds the account the winner created.
    if (auto again = identities_->find_user_by_email(user::normalize_email(email)); again && *again)
      return false;
    return *e;
  }
  return true;
}

std::string identity_gateway::jwks_json() const {
  return tokens_->keys().jwks_json();
}

}  // namespace taskflow::runtime
