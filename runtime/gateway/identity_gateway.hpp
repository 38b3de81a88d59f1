// The runtime's identity handle for the edge: registration, sign-in, token
// refresh and logout (through user and session actors), API keys, OAuth2
// clients, and authentication of each request's credential. Argon2 hashing
// and store reads (API keys included) run on a small pool of their own so
// they never block the edge's I/O threads or the actors' scheduler. Callbacks run on that pool or
// on an actor thread; the edge posts them back to its own executor.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>

#include "actors/ports/identity_store.hpp"
#include "actors/ports/services/credential_store.hpp"
#include "messages/common/principal.pb.h"
#include "messages/identity/user.pb.h"
#include "runtime/gateway/outcome.hpp"
#include "runtime/gateway/shard_requester.hpp"
#include "runtime/identity/access_token.hpp"
#include "runtime/identity/api_key_cache.hpp"
#include "runtime/identity/password_hasher.hpp"
#include "runtime/identity/revocation_set.hpp"
#include "runtime/identity/verified_token_cache.hpp"

namespace boost::asio {
class thread_pool;
}

namespace taskflow::runtime {

struct identity_settings {
  std::chrono::seconds access_token_ttl{15 * 60};
  std::chrono::seconds session_ttl{7 * 24 * 3600};
  std::chrono::milliseconds request_timeout{5000};
};

// Who sent a request, once its credential checked out.
struct authenticated {
  messages::Principal principal;
  std::string session_id;  // set for session access tokens only
  enum class kind { session, api_key, client } via = kind::session;
};

struct token_grant {
  std::string access_token;
  std::int64_t expires_in_s = 0;
  std::string session_id;     // empty for client credentials
  std::string refresh_token;  // empty for client credentials
  std::vector<std::string> scopes;
};

struct registration {
  std::string email;
  std::string password;
  std::string display_name;
  std::vector<std::string> roles;  // empty: a plain user
};

struct created_api_key {
  ports::api_key_record record;
  std::string key;  // shown once
};

struct created_client {
  ports::oauth_client_record record;
  std::string secret;  // shown once
};

// The scopes a user's own session carries, and every scope that exists.
const std::vector<std::string>& user_scopes();
bool is_known_scope(const std::string& scope);

class identity_gateway {
public:
  identity_gateway(caf::actor_system& system, std::shared_ptr<ports::identity_store> identities,
                   std::shared_ptr<ports::credential_store> credentials, std::shared_ptr<access_token_codec> tokens,
                   std::shared_ptr<revocation_set> revoked, std::shared_ptr<api_key_cache> api_keys,
                   identity_settings settings, password_hasher hasher, shard_request_env routing);
  ~identity_gateway();
  identity_gateway(const identity_gateway&) = delete;
  identity_gateway& operator=(const identity_gateway&) = delete;

  void register_user(registration request, std::string traceparent, outcome_handler<messages::UserSnapshot> done);
  void sign_in(std::string email, std::string password, std::string traceparent, outcome_handler<token_grant> done);
  void refresh(std::string refresh_token, std::string traceparent, outcome_handler<token_grant> done);
  void sign_out(const authenticated& who, std::string traceparent, outcome_handler<bool> done);
  void current_user(const authenticated& who, outcome_handler<messages::UserSnapshot> done);

  void create_api_key(const authenticated& who, std::string name, std::vector<std::string> scopes,
                      outcome_handler<created_api_key> done);
  void revoke_api_key(const authenticated& who, std::string key_id, std::string traceparent,
                      outcome_handler<bool> done);

  void create_client(const authenticated& who, std::string name, std::vector<std::string> scopes,
                     outcome_handler<created_client> done);
  // RFC 6749 §4.4. `scopes` empty: every scope the client was granted.
  void client_token(std::string client_id, std::string client_secret, std::vector<std::string> scopes,
                    outcome_handler<token_grant> done);

  // Checks a bearer token on the calling thread: signature and claims are
  // CPU-only, and the revocation set is in memory.
  outcome<authenticated> authenticate_bearer(std::string_view token) const;
  // Checks an API key: from the cache on the calling thread when it holds
  // the key, otherwise with two store reads on this gateway's pool (`done`
  // runs there).
  void authenticate_api_key(std::string_view key, outcome_handler<authenticated> done);

  // Creates the admin unless a user with this email exists. Blocks; for start-up.
  outcome<bool> ensure_admin(const std::string& email, const std::string& password);

  std::string jwks_json() const;

private:
  outcome<token_grant> issue_session_tokens(const messages::SessionSnapshot& session, std::string refresh_token) const;
  void ask_session(messages::SessionCommand command, std::function<void(messages::SessionReply)> done);
  void ask_user(messages::UserCommand command, std::function<void(messages::UserReply)> done);
  // Refuses the session's access tokens on this edge at once, before the
  // revocation event comes round.
  void remember_revocation(const messages::SessionSnapshot& session) const;
  outcome<authenticated> look_up_api_key(const std::string& key_hash) const;

  std::shared_ptr<ports::identity_store> identities_;
  std::shared_ptr<ports::credential_store> credentials_;
  std::shared_ptr<access_token_codec> tokens_;
  std::shared_ptr<revocation_set> revoked_;
  std::shared_ptr<api_key_cache> api_keys_;
  mutable verified_token_cache verified_;
  identity_settings settings_;
  password_hasher hasher_;
  // Before the pool: its threads may wait on an answer while it is joined.
  shard_requester requests_;
  std::string dummy_hash_;  // verified against when the email is unknown, so timing does not tell
  std::unique_ptr<boost::asio::thread_pool> pool_;
};

}  // namespace taskflow::runtime
