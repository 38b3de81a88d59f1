// `idempotency-key` metadata on the writes that take one (CreateTask,
// UpdateTask), with the HTTP edge's semantics and store: the first call with
// a key runs and its answer is kept 24 h; a repeat by the same principal with
// the same method and request gets that answer again, with
// `idempotent-replayed: true` in its trailing metadata, and runs nothing.
// The same key with another request is INVALID_ARGUMENT, while the first is
// still running ABORTED; answers a retry may change (UNAVAILABLE,
// DEADLINE_EXCEEDED, INTERNAL, ...) are not kept, and a retry runs again
// under the same execution id, so it reaches the actor as the same command.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include "http-edge/grpc/call_context.hpp"
#include "runtime/edge_api/idempotency_gateway.hpp"
#include "runtime/observability/logger.hpp"

namespace taskflow::edge::grpc_api {

// A unary call's answer: its status, and the serialized reply when OK.
struct call_answer {
  grpc::Status status;
  std::string reply;
};
using call_responder = std::function<void(call_answer)>;

class call_idempotency {
public:
  call_idempotency(runtime::idempotency_gateway& gateway, const runtime::logger& log);

  // Runs `next` for the call at most once per key; `respond` gets the
  // answer, fresh or replayed. `full_method` is "/taskflow.v1.Tasks/...".
  void handle(const std::shared_ptr<call_context>& ctx, std::string_view full_method,
              const google::protobuf::Message& request, const std::function<void(call_responder)>& next,
              call_responder respond) const;

private:
  runtime::idempotency_gateway& gateway_;
  const runtime::logger& log_;
};

}  // namespace taskflow::edge::grpc_api
