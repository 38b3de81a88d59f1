// Idempotency-Key (IETF httpapi draft) on the routes registered as
// idempotent (route_policy::idempotent: the task writes). The first request with a key claims it in the shared store
// and runs; its response is stored, and a repeat by the same principal with the same method, path and body within 24 h
// gets that response again, marked `Idempotent-Replayed: true`, without running anything. The same key with a different
// request is 422; while the first still runs, 409. Responses of 5xx are not stored: the claim is released so a retry
// runs again, under the same execution id, so it reaches the actor as the same command. The identity endpoints are not
// registered so: their requests carry passwords or refresh tokens and their answers tokens, API keys or client secrets,
// so a record would keep a secret in clear (the answer) or as an unsalted hash (the fingerprint). There the header is
// ignored and every request runs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "http-edge/problem/problem.hpp"
#include "http-edge/routing/router.hpp"
#include "runtime/edge_api/idempotency_gateway.hpp"
#include "runtime/observability/logger.hpp"

namespace taskflow::edge {

inline constexpr std::size_t max_idempotency_key_chars = 255;

// The key from the Idempotency-Key header values: a Structured Fields string
// ("...") as the draft specifies, or the bare token many clients send.
std::variant<std::string, problem> parse_idempotency_key(const std::vector<std::string_view>& values);

// What makes two requests "the same request": method, versioned path, body.
std::string request_fingerprint(std::string_view method, std::string_view path, std::string_view body);

// Names one execution of a keyed request: the same for every retry of it,
// different once the key expired and is used afresh.
std::string execution_id_for(std::string_view principal_id, std::string_view key, std::int64_t first_used_ms);

// An id for `purpose` ("command", "task", ...) that every retry of one
// execution shares (a name-based UUIDv8 from its execution id), or a fresh
// UUIDv7 when there is no execution id (no Idempotency-Key).
std::string execution_scoped_id(std::string_view execution_id, std::string_view purpose);

// execution_scoped_id for this request's execution.
std::string request_scoped_id(const request_context& ctx, std::string_view purpose);

class idempotency_middleware {
public:
  // Without a gateway (a node that serves no /api) every request passes through.
  idempotency_middleware(runtime::idempotency_gateway* gateway, const runtime::logger& log);

  // Runs `next` for the request, at most once per key; `respond` gets the
  // answer, fresh or replayed.
  void handle(const std::shared_ptr<request_context>& ctx, const std::function<void(responder)>& next,
              responder respond) const;

private:
  runtime::idempotency_gateway* gateway_;
  const runtime::logger& log_;
};

}  // namespace taskflow::edge
