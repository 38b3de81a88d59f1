#include "http-edge/grpc/grpc_status.hpp"

#include <google/rpc/error_details.pb.h>
#include <google/rpc/status.pb.h>

#include "http-edge/grpc/task_resource.hpp"

namespace taskflow::edge::grpc_api {
namespace {

// ERROR_CODE_VALIDATION -> "VALIDATION": the reason clients switch on.
std::string reason_of(messages::ErrorCode code) {
  auto name = messages::ErrorCode_Name(code);
  constexpr std::string_view prefix = "ERROR_CODE_";
  return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

grpc::Status with_details(grpc::StatusCode code, const std::string& message, const std::string& reason,
                          std::chrono::seconds retry_after, const messages::field_errors* fields,
                          const std::string& existing_id = {}) {
  google::rpc::Status details;
  details.set_code(code);
  details.set_message(message);
  google::rpc::ErrorInfo info;
  info.set_reason(reason);
  info.set_domain(error_domain);
  if (!existing_id.empty())
    (*info.mutable_metadata())["existing_id"] = existing_id;
  details.add_details()->PackFrom(info);
  if (fields && !fields->empty()) {
    google::rpc::BadRequest bad;
    for (const auto& f : *fields) {
      auto* violation = bad.add_field_violations();
      violation->set_field(f.field());
      violation->set_description(f.message());
    }
    details.add_details()->PackFrom(bad);
  }
  if (retry_after.count() > 0) {
    google::rpc::RetryInfo retry;
    retry.mutable_retry_delay()->set_seconds(retry_after.count());
    details.add_details()->PackFrom(retry);
  }
  return {code, message, details.SerializeAsString()};
}

}  // namespace

grpc::Status failure(grpc::StatusCode code, const std::string& message, const std::string& reason,
                     std::chrono::seconds retry_after) {
  return with_details(code, message, reason, retry_after, nullptr);
}

grpc::Status invalid_argument(const messages::field_errors& errors) {
  std::string message = "The request has invalid fields:";
  for (const auto& e : errors)
    message += " " + e.field() + " " + e.message() + ";";
  message.pop_back();
  return with_details(grpc::StatusCode::INVALID_ARGUMENT, message, "VALIDATION", std::chrono::seconds{0}, &errors);
}

grpc::Status status_of(const messages::Error& error) {
  using grpc::StatusCode;
  auto reason = reason_of(error.code());
  const auto& detail = error.detail();
  switch (error.code()) {
    case messages::ERROR_CODE_VALIDATION: {
      messages::field_errors fields;
      for (const auto& f : error.field_errors())
        messages::add_field_error(fields, request_field(f.field()), f.message());
      if (fields.empty())
        return failure(StatusCode::INVALID_ARGUMENT, detail, reason);
      return invalid_argument(fields);
    }
    case messages::ERROR_CODE_NOT_FOUND:
      return failure(StatusCode::NOT_FOUND, detail, reason);
    case messages::ERROR_CODE_INVALID_TRANSITION:
    case messages::ERROR_CODE_PRECONDITION_REQUIRED:
      return failure(StatusCode::FAILED_PRECONDITION, detail, reason);
    case messages::ERROR_CODE_VERSION_MISMATCH:
      return failure(StatusCode::ABORTED, detail, reason);
    case messages::ERROR_CODE_CONFLICT:
      // A taken natural key names the task that holds it; anything else is
      // a concurrent writer, which a retry of the read-modify-write resolves.
      if (!error.existing_id().empty())
        return with_details(StatusCode::ALREADY_EXISTS, detail + " (existing task " + error.existing_id() + ")", reason,
                            std::chrono::seconds{0}, nullptr, error.existing_id());
      return failure(StatusCode::ABORTED, detail, reason);
    case messages::ERROR_CODE_FORBIDDEN:
      return failure(StatusCode::PERMISSION_DENIED, detail, reason);
    case messages::ERROR_CODE_UNAUTHENTICATED:
      return failure(StatusCode::UNAUTHENTICATED, detail, reason);
    case messages::ERROR_CODE_RATE_LIMITED:
      return failure(StatusCode::RESOURCE_EXHAUSTED, detail, reason, std::chrono::seconds{1});
    case messages::ERROR_CODE_UNAVAILABLE:
    case messages::ERROR_CODE_MOVED:
      return failure(StatusCode::UNAVAILABLE, detail, reason, std::chrono::seconds{1});
    case messages::ERROR_CODE_OVERLOADED:
      return failure(StatusCode::UNAVAILABLE, detail, reason, std::chrono::seconds{2});
    case messages::ERROR_CODE_DEADLINE_EXCEEDED:
      return failure(StatusCode::DEADLINE_EXCEEDED, detail, reason);
    default:
      return failure(StatusCode::INTERNAL, "The server could not complete the request.", "INTERNAL");
  }
}

}  // namespace taskflow::edge::grpc_api
