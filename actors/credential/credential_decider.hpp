// The rules for API keys and OAuth2 clients, the credentials that are records
// rather than actors: who may make or revoke one, what a valid one is, which
// scopes a client may be granted, and the event a revocation publishes. Pure:
// the runtime's identity services do the hashing, storing and sending.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "messages/common/error.pb.h"
#include "messages/common/principal.pb.h"
#include "messages/events/event_envelope.pb.h"

namespace taskflow::credential {

inline constexpr std::size_t max_name_chars = 100;

// How the caller proved who it is.
enum class credential_kind { session, api_key, client };

// A validated request for a new key or client: scopes sorted, each once.
struct named_grant {
  std::string name;
  std::vector<std::string> scopes;
};

using grant_decision = std::variant<named_grant, messages::Error>;

// Only a signed-in user manages keys: a key must not mint keys, or a read-only
// key could make itself a writable one.
std::optional<messages::Error> may_manage_api_keys(credential_kind via);

grant_decision decide_api_key(credential_kind via, std::string name, std::vector<std::string> scopes);

// Only an admin, acting as a person (session or own key), registers clients.
grant_decision decide_client(const messages::Principal& who, credential_kind via, std::string name,
                             std::vector<std::string> scopes);

// The scopes a client-credentials token carries: what was asked for (all the
// client holds when nothing was), refused if any is beyond the client's.
std::variant<std::vector<std::string>, messages::Error> granted_client_scopes(
    const std::vector<std::string>& client_scopes, std::vector<std::string> requested);

// What every edge hears when a key is revoked, so it drops the key from its cache.
messages::EventEnvelope api_key_revoked(const std::string& user_id, const std::string& key_id, std::int64_t now_ms,
                                        std::string event_id, std::string traceparent);

}  // namespace taskflow::credential
