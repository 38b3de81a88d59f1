// Port: durable Idempotency-Key records (IETF httpapi draft). A key is scoped
// by principal; its first request claims it, and the claim becomes the stored
// response once that request finishes. The record lives in the shared store,
// so it holds across restarts and across edges.
// A service port: actors never call it; only runtime services do (the
// idempotency gateway and its sweeper).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/expected.hpp>

#include "actors/ports/store_error.hpp"

namespace taskflow::ports {

struct idempotency_scope {
  std::string principal_id;
  std::string key;
};

// What a replay answers with: the first response's status, the headers that
// belong to it (Content-Type, Location, ETag, ...) and its body.
struct stored_response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct claim_request {
  idempotency_scope scope;
  // Method, path and body of the request, hashed; a repeat must match it.
  std::string fingerprint;
  std::int64_t now_ms = 0;
  // An in-flight claim blocks the key this long; a request that crashed
  // without finishing stops blocking it once the lease lapses.
  std::int64_t lease_ms = 0;
  // The key is remembered this long after its first use.
  std::int64_t ttl_ms = 0;
};

enum class claim_status : std::uint8_t {
  // The caller owns the key now and must complete or release it.
  claimed,
  // Another request with this key holds a live lease.
  in_flight,
  // The key's first request finished; `response` is what it answered.
  completed,
  // The key was first used with a different fingerprint.
  mismatch,
};

struct idempotency_claim {
  claim_status status = claim_status::claimed;
  // claimed: proves ownership to complete() and release(); a takeover after
  // a lapsed lease mints a new one, so a late first owner cannot overwrite.
  std::string lease_token;
  // When the key was first used. Stable across lease takeovers and new after
  // expiry, so ids derived from (scope, first_used_at_ms) name one execution.
  std::int64_t first_used_at_ms = 0;
  std::optional<stored_response> response;
};

class idempotency_store {
public:
  virtual ~idempotency_store() = default;

  // Claims the key, or says why not, in one atomic step. An expired record
  // counts as absent.
  virtual caf::expected<idempotency_claim> claim(const claim_request& request) = 0;

  // Stores the response of a claimed request. False when the lease was lost
  // to a takeover (then nothing is stored).
  virtual caf::expected<bool> complete(const idempotency_scope& scope, const std::string& lease_token,
                                       const stored_response& response) = 0;

  // Ends the lease without a response (the request failed in a way worth
  // retrying); the key keeps its first use, so a retry maps to the same ids.
  virtual caf::expected<void> release(const idempotency_scope& scope, const std::string& lease_token) = 0;

  // Deletes records whose time to live ended before now; returns how many.
  virtual caf::expected<std::int64_t> purge_expired(std::int64_t now_ms) = 0;
};

}  // namespace taskflow::ports
