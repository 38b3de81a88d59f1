#include "runtime/identity/client_registry.hpp"

#include "messages/time/unix_clock.hpp"
#include "runtime/codec/sha256.hpp"
#include "runtime/identity/secret_tokens.hpp"

namespace taskflow::runtime {

void client_registry::create(const authenticated& who, std::string name, std::vector<std::string> scopes,
                             outcome_handler<created_client> done) {
  auto decided = credential::decide_client(who.principal, who.via, std::move(name), std::move(scopes));
  if (auto* refused = std::get_if<messages::Error>(&decided))
    return done(std::move(*refused));
  run_blocking(
      ctx_, done,
      [this, creator = who.principal.id(), grant = std::get<credential::named_grant>(std::move(decided)), done]() {
        created_client out;
        out.secret = random_token(32);
        out.record.client_id = "tfc_" + random_token(12);
        out.record.name = grant.name;
        out.record.secret_hash = sha256_hex(out.secret);
        out.record.scopes = grant.scopes;
        out.record.created_by = creator;
        out.record.created_at_ms = clock::unix_now_ms();
        if (auto inserted = ctx_.credentials->insert_client(out.record); !inserted)
          return done(identity_store_unavailable(inserted.error()));
        done(std::move(out));
      });
}

}  // namespace taskflow::runtime
