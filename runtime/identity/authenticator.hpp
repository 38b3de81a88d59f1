// Checks the credential each request carries. A bearer token's signature and
// claims are checked on the calling thread (CPU only). The first time this
// node sees a session's token, the session it names is read on the identity
// pool (the callback runs there): a well-signed token naming a session the
// store does not hold, or someone else's, or one that ended, was not issued
// by us and is refused. After that the token is cached until it expires and
// answered on the calling thread, with the in-memory revocation set checked
// every time. An API key comes from the cache on the calling thread when it
// holds the key, otherwise from two store reads on the identity pool.
#pragma once

#include <string_view>

#include "runtime/identity/identity_context.hpp"
#include "runtime/identity/verified_token_cache.hpp"

namespace taskflow::runtime {

class authenticator {
public:
  explicit authenticator(identity_context& ctx) : ctx_(ctx) {}

  void bearer(std::string_view token, outcome_handler<authenticated> done);
  void api_key(std::string_view key, outcome_handler<authenticated> done);

private:
  outcome<authenticated> admit(access_claims claims, std::int64_t now_ms) const;
  outcome<authenticated> look_up_api_key(const std::string& key_hash) const;

  identity_context& ctx_;
  mutable verified_token_cache verified_;
};

}  // namespace taskflow::runtime
