#include "runtime/identity/authenticator.hpp"

#include "messages/time/unix_clock.hpp"
#include "runtime/codec/sha256.hpp"
#include "runtime/identity/api_key_service.hpp"

namespace taskflow::runtime {

void authenticator::bearer(std::string_view token, outcome_handler<authenticated> done) {
  auto now_ms = clock::unix_now_ms();
  if (auto cached = verified_.find(token, now_ms / 1000))
    return done(admit(std::move(*cached), now_ms));
  auto verified = ctx_.tokens->verify(token, now_ms / 1000);
  if (auto* rejected = std::get_if<token_rejection>(&verified))
    return done(unauthenticated("The access token is invalid: " + rejected->reason + "."));
  auto claims = std::get<access_claims>(std::move(verified));
  if (claims.session_id.empty()) {
    // An OAuth2 client's token: there is no session to look for.
    verified_.remember(token, claims);
    return done(admit(std::move(claims), now_ms));
  }
  run_blocking(ctx_, done, [this, token = std::string{token}, claims = std::move(claims), done]() mutable {
    auto session = ctx_.identities->load_session(claims.session_id);
    if (!session)
      return done(identity_store_unavailable(session.error()));
    auto now = clock::unix_now_ms();
    if (!*session || !(*session)->active_at(now) || (*session)->snapshot.user_id() != claims.subject)
      return done(unauthenticated("The access token names no live session of its subject."));
    verified_.remember(token, claims);
    done(admit(std::move(claims), now));
  });
}

outcome<authenticated> authenticator::admit(access_claims claims, std::int64_t now_ms) const {
  if (!claims.session_id.empty() && ctx_.revoked->is_revoked(claims.session_id, now_ms))
    return unauthenticated("The session of this access token has ended.");
  authenticated who;
  who.principal.set_id(claims.subject);
  for (auto& r : claims.roles)
    who.principal.add_roles(std::move(r));
  for (auto& s : claims.scopes)
    who.principal.add_scopes(std::move(s));
  who.session_id = std::move(claims.session_id);
  who.expires_at_ms = claims.expires_at_s * 1000;
  who.via = who.session_id.empty() ? authenticated::kind::client : authenticated::kind::session;
  return who;
}

void authenticator::api_key(std::string_view key, outcome_handler<authenticated> done) {
  if (key.rfind(api_key_marker, 0) != 0 || key.size() > 256)
    return done(unauthenticated("The API key is invalid."));
  // Lookup is by the hash of the whole key, so the database never compares
  // the secret itself and no prefix of it decides the timing.
  auto key_hash = sha256_hex(key);
  if (auto principal = ctx_.api_keys->find(key_hash)) {
    authenticated who;
    who.via = authenticated::kind::api_key;
    who.principal = std::move(*principal);
    return done(std::move(who));
  }
  auto evictions = ctx_.api_keys->evictions();
  run_blocking(ctx_, done, [this, key_hash = std::move(key_hash), evictions, done] {
    auto who = look_up_api_key(key_hash);
    if (auto* found = std::get_if<authenticated>(&who))
      ctx_.api_keys->remember(key_hash, found->principal, evictions);
    done(std::move(who));
  });
}

outcome<authenticated> authenticator::look_up_api_key(const std::string& key_hash) const {
  auto found = ctx_.credentials->find_api_key(key_hash);
  if (!found)
    return identity_store_unavailable(found.error());
  if (!*found || (*found)->revoked_at_ms)
    return unauthenticated("The API key is invalid or revoked.");
  const auto& record = **found;
  auto owner = ctx_.identities->load_user(record.user_id);
  if (!owner)
    return identity_store_unavailable(owner.error());
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

}  // namespace taskflow::runtime
