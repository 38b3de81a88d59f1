// The values the identity services take and hand back to the edge.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "actors/credential/credential_decider.hpp"
#include "actors/ports/services/credential_store.hpp"
#include "messages/common/principal.pb.h"

namespace taskflow::runtime {

struct identity_settings {
  std::chrono::seconds access_token_ttl{15 * 60};
  std::chrono::seconds session_ttl{7 * 24 * 3600};
  std::chrono::milliseconds request_timeout{5000};
};

// Who sent a request, once its credential checked out.
struct authenticated {
  using kind = credential::credential_kind;
  messages::Principal principal;
  std::string session_id;  // set for session access tokens only
  kind via = kind::session;
  // When the credential stops being good (0: an API key, which lasts until
  // revoked), so a long-lived answer such as a live stream can end with it.
  std::int64_t expires_at_ms = 0;
};

struct token_grant {
  std::string access_token;
  std::int64_t expires_in_s = 0;
  std::string session_id;     // empty for client credentials
  std::string refresh_token;  // empty for client credentials
  std::vector<std::string> scopes;
  std::string device_token;  // sign-in only: device_tokens.hpp says what it is for
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

}  // namespace taskflow::runtime
