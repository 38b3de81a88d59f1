// RFC 9457 problem details: every 4xx/5xx the edge sends is one of these, as
// application/problem+json. Domain errors map 1:1 onto problem types here.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "http-edge/server/http_types.hpp"
#include "messages/common/error.pb.h"

namespace taskflow::edge {

struct problem {
  http::status status = http::status::internal_server_error;
  std::string slug;  // becomes type "/problems/<slug>"
  std::string title;
  std::string detail;
  std::vector<messages::FieldError> errors;
  std::vector<std::pair<std::string, std::string>> headers;
  nlohmann::json extensions = nlohmann::json::object();
};

problem bad_request(std::string detail);
problem validation_failed(std::vector<messages::FieldError> errors);
problem not_found(std::string detail);
problem method_not_allowed(const std::string& allow);
problem unsupported_media_type(std::string detail);
problem payload_too_large(std::size_t limit);
problem headers_too_large();
problem precondition_required(std::string detail);
problem precondition_failed(std::string detail);
problem service_unavailable(std::string detail, int retry_after_seconds);
// 401 with the RFC 6750 challenge; `error` is the Bearer error code
// ("invalid_token", "invalid_request") or empty when no credential was sent.
problem unauthorized(std::string detail, const std::string& error = "invalid_token");
problem forbidden(std::string detail);
problem insufficient_scope(const std::string& scope);
problem too_many_requests(std::int64_t retry_after_seconds);

// The problem a domain error becomes at the edge.
problem from_error(const messages::Error& error);

// Renders the problem for `instance` (the request path).
http_response render(const problem& p, const std::string& instance, unsigned http_version, bool keep_alive);

}  // namespace taskflow::edge
