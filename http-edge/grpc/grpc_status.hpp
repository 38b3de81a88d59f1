// gRPC statuses for TaskFlow's errors (AIP-193): the canonical code, a
// message for people, and google.rpc.Status details in the
// grpc-status-details-bin trailer: ErrorInfo (our error code as the reason)
// always, BadRequest for field errors, RetryInfo where a retry may succeed.
// Every error the domain names maps to its own code: UNKNOWN is never sent.
#pragma once

#include <chrono>
#include <string>

#include <grpcpp/support/status.h>

#include "messages/common/error.pb.h"
#include "messages/common/field_errors.hpp"

namespace taskflow::edge::grpc_api {

// ErrorInfo's domain: which service's reasons these are.
inline constexpr const char* error_domain = "taskflow.v1.Tasks";

grpc::Status status_of(const messages::Error& error);

// INVALID_ARGUMENT with a BadRequest naming each field.
grpc::Status invalid_argument(const messages::field_errors& errors);

// `code` with an ErrorInfo whose reason is `reason`, and a RetryInfo when
// `retry_after` is positive.
grpc::Status failure(grpc::StatusCode code, const std::string& message, const std::string& reason,
                     std::chrono::seconds retry_after = std::chrono::seconds{0});

}  // namespace taskflow::edge::grpc_api
