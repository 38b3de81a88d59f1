#include "runtime/identity/api_key_service.hpp"

#include "messages/ids/uuid.hpp"
#include "messages/time/unix_clock.hpp"
#include "runtime/codec/sha256.hpp"
#include "runtime/identity/secret_tokens.hpp"

namespace taskflow::runtime {

void api_key_service::create(const authenticated& who, std::string name, std::vector<std::string> scopes,
                             outcome_handler<created_api_key> done) {
  auto decided = credential::decide_api_key(who.via, std::move(name), std::move(scopes));
  if (auto* refused = std::get_if<messages::Error>(&decided))
    return done(std::move(*refused));
  run_blocking(
      ctx_, done,
      [this, user_id = who.principal.id(), grant = std::get<credential::named_grant>(std::move(decided)), done]() {
        created_api_key out;
        auto prefix = std::string{api_key_marker} + random_token(6);
        out.key = prefix + "_" + random_token(32);
        out.record.id = ids::new_uuid_v7();
        out.record.user_id = user_id;
        out.record.name = grant.name;
        out.record.prefix = prefix;
        out.record.key_hash = sha256_hex(out.key);
        out.record.scopes = grant.scopes;
        out.record.created_at_ms = clock::unix_now_ms();
        if (auto inserted = ctx_.credentials->insert_api_key(out.record); !inserted)
          return done(identity_store_unavailable(inserted.error()));
        done(std::move(out));
      });
}

void api_key_service::revoke(const authenticated& who, std::string key_id, std::string traceparent,
                             outcome_handler<bool> done) {
  if (auto refused = credential::may_manage_api_keys(who.via))
    return done(std::move(*refused));
  run_blocking(
      ctx_, done,
      [this, user_id = who.principal.id(), key_id = std::move(key_id), traceparent = std::move(traceparent), done]() {
        auto now = clock::unix_now_ms();
        auto event = credential::api_key_revoked(user_id, key_id, now, ids::new_uuid_v7(), traceparent);
        auto revoked = ctx_.credentials->revoke_api_key(user_id, key_id, now, std::move(event));
        if (!revoked) {
          if (ports::is(revoked.error(), ports::store_errc::not_found))
            return done(messages::make_error(messages::ERROR_CODE_NOT_FOUND, "No API key with this id."));
          return done(identity_store_unavailable(revoked.error()));
        }
        ctx_.api_keys->evict(revoked->key_hash);
        done(true);
      });
}

}  // namespace taskflow::runtime
