// Checks the credential each request carries. A bearer token is checked on
// the calling thread: its signature and claims are CPU-only and the
// revocation set is in memory. An API key comes from the cache on the calling
// thread when it holds the key, otherwise from two store reads on the
// identity pool (the callback runs there).
#pragma once

#include <string_view>

#include "runtime/identity/identity_context.hpp"
#include "runtime/identity/verified_token_cache.hpp"

namespace taskflow::runtime {

class authenticator {
public:
  explicit authenticator(identity_context& ctx) : ctx_(ctx) {}

  outcome<authenticated> bearer(std::string_view token) const;
  void api_key(std::string_view key, outcome_handler<authenticated> done);

private:
  outcome<authenticated> look_up_api_key(const std::string& key_hash) const;

  identity_context& ctx_;
  mutable verified_token_cache verified_;
};

}  // namespace taskflow::runtime
