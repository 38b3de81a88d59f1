#include "http-edge/grpc/call_idempotency.hpp"

#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "http-edge/grpc/grpc_status.hpp"
#include "http-edge/middleware/idempotency.hpp"
#include "runtime/codec/base64url.hpp"

namespace taskflow::edge::grpc_api {
namespace {

constexpr const char* message_entry = "grpc-message";
constexpr const char* details_entry = "grpc-status-details-bin";

// Statuses a retry could turn into something else are not kept.
bool replayable(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DATA_LOSS:
      return false;
    default:
      return true;
  }
}

std::string deterministic_bytes(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream{&out};
    google::protobuf::io::CodedOutputStream coded{&stream};
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

// The store keeps text: the reply and the details go in as base64url.
runtime::stored_response to_stored(const call_answer& answer) {
  runtime::stored_response out;
  out.status = answer.status.error_code();
  out.headers.emplace_back(message_entry, answer.status.error_message());
  if (!answer.status.error_details().empty())
    out.headers.emplace_back(details_entry, runtime::base64url_encode(answer.status.error_details()));
  out.body = runtime::base64url_encode(answer.reply);
  return out;
}

call_answer replay_of(const runtime::stored_response& stored) {
  std::string message;
  std::string details;
  for (const auto& [name, value] : stored.headers) {
    if (name == message_entry)
      message = value;
    else if (name == details_entry)
      details = runtime::base64url_decode(value).value_or("");
  }
  return {grpc::Status{static_cast<grpc::StatusCode>(stored.status), message, details},
          runtime::base64url_decode(stored.body).value_or("")};
}

}  // namespace

call_idempotency::call_idempotency(runtime::idempotency_gateway& gateway, const runtime::logger& log)
    : gateway_(gateway), log_(log) {}

void call_idempotency::handle(const std::shared_ptr<call_context>& ctx, std::string_view full_method,
                              const google::protobuf::Message& request, const std::function<void(call_responder)>& next,
                              call_responder respond) const {
  auto values = ctx->values("idempotency-key");
  if (values.empty())
    return next(std::move(respond));
  auto key = parse_idempotency_key(std::vector<std::string_view>(values.begin(), values.end()));
  if (auto* p = std::get_if<problem>(&key))
    return respond({failure(grpc::StatusCode::INVALID_ARGUMENT, p->detail, "INVALID_IDEMPOTENCY_KEY"), {}});

  runtime::idempotency_scope scope{ctx->principal.id(), std::get<std::string>(std::move(key))};
  auto fingerprint = request_fingerprint("grpc", full_method, deterministic_bytes(request));
  auto* gateway = &gateway_;
  const auto* log = &log_;
  gateway->claim(scope, std::move(fingerprint), [=](runtime::outcome<runtime::idempotency_claim> answer) {
    if (const auto* e = runtime::failed(answer))
      return respond(
          {failure(grpc::StatusCode::UNAVAILABLE, "Idempotency keys cannot be checked right now: " + e->detail(),
                   "UNAVAILABLE", std::chrono::seconds{1}),
           {}});
    const auto& claim = std::get<runtime::idempotency_claim>(answer);
    switch (claim.status) {
      case runtime::claim_status::mismatch:
        return respond({failure(grpc::StatusCode::INVALID_ARGUMENT,
                                "This idempotency-key was first used for a different call (method or request); use "
                                "a new key for a new request.",
                                "IDEMPOTENCY_KEY_REUSED"),
                        {}});
      case runtime::claim_status::in_flight:
        return respond({failure(grpc::StatusCode::ABORTED,
                                "The first call with this idempotency-key is still running; retry shortly.",
                                "IDEMPOTENCY_KEY_IN_USE", std::chrono::seconds{1}),
                        {}});
      case runtime::claim_status::completed:
        ctx->replayed = true;
        return respond(replay_of(*claim.response));
      case runtime::claim_status::claimed:
        break;
    }
    ctx->execution_id = execution_id_for(scope.principal_id, scope.key, claim.first_used_at_ms);
    auto token = claim.lease_token;
    next([=](call_answer result) {
      auto held = std::make_shared<call_answer>(std::move(result));
      auto keep = replayable(held->status.error_code()) ? std::optional{to_stored(*held)} : std::nullopt;
      gateway->settle(scope, token, std::move(keep), [=](const std::optional<std::string>& failure) {
        if (failure)
          log->warn("idempotency_store_failed", {{"request_id", ctx->request_id}, {"error", *failure}});
        respond(std::move(*held));
      });
    });
  });
}

}  // namespace taskflow::edge::grpc_api
