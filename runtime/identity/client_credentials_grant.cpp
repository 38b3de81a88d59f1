#include "runtime/identity/client_credentials_grant.hpp"

#include "messages/ids/uuid.hpp"
#include "messages/time/unix_clock.hpp"
#include "runtime/codec/sha256.hpp"
#include "runtime/identity/secret_tokens.hpp"

namespace taskflow::runtime {

void client_credentials_grant::issue(std::string client_id, std::string client_secret, std::vector<std::string> scopes,
                                     outcome_handler<token_grant> done) {
  run_blocking(
      ctx_, done,
      [this, client_id = std::move(client_id), client_secret = std::move(client_secret), scopes = std::move(scopes),
       done]() mutable {
        auto found = ctx_.credentials->find_client(client_id);
        if (!found)
          return done(identity_store_unavailable(found.error()));
        // Compare even for an unknown client, so timing does not
        // reveal which ids exist.
        auto expected = *found ? (*found)->secret_hash : sha256_hex(ctx_.dummy_hash);
        if (!constant_time_equal(sha256_hex(client_secret), expected) || !found->has_value())
          return done(unauthenticated("The client id or secret is wrong."));
        const auto& client = **found;
        auto granted = credential::granted_client_scopes(client.scopes, std::move(scopes));
        if (auto* refused = std::get_if<messages::Error>(&granted))
          return done(std::move(*refused));
        auto now_s = clock::unix_now_ms() / 1000;
        access_claims claims;
        claims.subject = client.client_id;
        claims.token_id = ids::new_uuid_v7();
        claims.roles = {"service"};
        claims.scopes = std::get<std::vector<std::string>>(std::move(granted));
        claims.issued_at_s = now_s;
        claims.expires_at_s = now_s + ctx_.settings.access_token_ttl.count();
        auto token = ctx_.tokens->issue(claims);
        if (!token)
          return done(messages::make_error(messages::ERROR_CODE_INTERNAL, "The access token could not be signed."));
        done(token_grant{std::move(*token), ctx_.settings.access_token_ttl.count(), {}, {}, claims.scopes, {}});
      });
}

}  // namespace taskflow::runtime
