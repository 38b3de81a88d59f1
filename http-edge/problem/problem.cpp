#include "http-edge/problem/problem.hpp"

namespace taskflow::edge {
namespace {

problem make(http::status status, std::string slug, std::string title, std::string detail) {
  problem p;
  p.status = status;
  p.slug = std::move(slug);
  p.title = std::move(title);
  p.detail = std::move(detail);
  return p;
}

}  // namespace

problem bad_request(std::string detail) {
  return make(http::status::bad_request, "bad-request", "Bad request", std::move(detail));
}

problem validation_failed(std::vector<messages::FieldError> errors) {
  auto p =
      make(http::status::bad_request, "validation", "Validation failed", "One or more fields are invalid; see errors.");
  p.errors = std::move(errors);
  return p;
}

problem not_found(std::string detail) {
  return make(http::status::not_found, "not-found", "Not found", std::move(detail));
}

problem method_not_allowed(const std::string& allow) {
  auto p = make(http::status::method_not_allowed, "method-not-allowed", "Method not allowed",
                "This resource supports: " + allow + ".");
  p.headers.emplace_back("Allow", allow);
  return p;
}

problem unsupported_media_type(std::string detail) {
  return make(http::status::unsupported_media_type, "unsupported-media-type", "Unsupported media type",
              std::move(detail));
}

problem payload_too_large(std::size_t limit) {
  return make(http::status::payload_too_large, "payload-too-large", "Payload too large",
              "The request body is larger than " + std::to_string(limit) + " bytes.");
}

problem headers_too_large() {
  return make(http::status::request_header_fields_too_large, "headers-too-large", "Request header fields too large",
              "The request line and headers are too large.");
}

problem precondition_required(std::string detail) {
  return make(http::status::precondition_required, "precondition-required", "Precondition required", std::move(detail));
}

problem precondition_failed(std::string detail) {
  return make(http::status::precondition_failed, "precondition-failed", "Precondition failed", std::move(detail));
}

problem service_unavailable(std::string detail, int retry_after_seconds) {
  auto p = make(http::status::service_unavailable, "unavailable", "Service unavailable", std::move(detail));
  p.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
  return p;
}

problem unauthorized(std::string detail, const std::string& error) {
  auto p = make(http::status::unauthorized, "unauthorized", "Unauthorized", std::move(detail));
  // The challenge names the error code only; the detail stays in the body so
  // a header never echoes attacker-controlled token text.
  p.headers.emplace_back("WWW-Authenticate", error.empty() ? std::string{R"(Bearer realm="taskflow")"}
                                                           : R"(Bearer realm="taskflow", error=")" + error + "\"");
  return p;
}

problem forbidden(std::string detail) {
  return make(http::status::forbidden, "forbidden", "Forbidden", std::move(detail));
}

problem insufficient_scope(const std::string& scope) {
  auto p = forbidden("This credential lacks the " + scope + " scope.");
  p.slug = "insufficient-scope";
  p.headers.emplace_back("WWW-Authenticate",
                         R"(Bearer realm="taskflow", error="insufficient_scope", scope=")" + scope + "\"");
  return p;
}

problem too_many_requests(std::int64_t retry_after_seconds) {
  auto p = make(http::status::too_many_requests, "rate-limited", "Too many requests",
                "The rate limit is exhausted; retry after " + std::to_string(retry_after_seconds) + " s.");
  p.headers.emplace_back("Retry-After", std::to_string(retry_after_seconds));
  return p;
}

problem from_error(const messages::Error& error) {
  switch (error.code()) {
    case messages::ERROR_CODE_VALIDATION: {
      if (error.field_errors().empty())
        return bad_request(error.detail());
      return validation_failed({error.field_errors().begin(), error.field_errors().end()});
    }
    case messages::ERROR_CODE_NOT_FOUND:
      return not_found(error.detail());
    case messages::ERROR_CODE_INVALID_TRANSITION:
      return make(http::status::conflict, "invalid-transition", "Status change not allowed", error.detail());
    case messages::ERROR_CODE_VERSION_MISMATCH:
      return precondition_failed(error.detail());
    case messages::ERROR_CODE_PRECONDITION_REQUIRED:
      return precondition_required(error.detail());
    case messages::ERROR_CODE_CONFLICT:
      return make(http::status::conflict, "conflict", "Conflict", error.detail());
    case messages::ERROR_CODE_FORBIDDEN:
      return forbidden(error.detail());
    case messages::ERROR_CODE_UNAUTHENTICATED:
      return unauthorized(error.detail());
    case messages::ERROR_CODE_RATE_LIMITED:
      return too_many_requests(1);
    case messages::ERROR_CODE_UNAVAILABLE:
    case messages::ERROR_CODE_MOVED:
      return service_unavailable(error.detail(), 1);
    case messages::ERROR_CODE_OVERLOADED:
      return service_unavailable(error.detail(), 2);
    case messages::ERROR_CODE_DEADLINE_EXCEEDED:
      return make(http::status::gateway_timeout, "deadline-exceeded", "Deadline exceeded", error.detail());
    default:
      return make(http::status::internal_server_error, "internal", "Internal error",
                  "The server could not complete the request.");
  }
}

http_response render(const problem& p, const std::string& instance, unsigned http_version, bool keep_alive) {
  nlohmann::json body = p.extensions;
  body["type"] = "/problems/" + p.slug;
  body["title"] = p.title;
  body["status"] = static_cast<int>(p.status);
  body["detail"] = p.detail;
  body["instance"] = instance;
  if (!p.errors.empty()) {
    auto& errors = body["errors"] = nlohmann::json::array();
    for (const auto& e : p.errors)
      errors.push_back({{"field", e.field()}, {"message", e.message()}});
  }
  http_response res{p.status, http_version};
  res.set(http::field::content_type, "application/problem+json");
  for (const auto& [name, value] : p.headers)
    res.set(name, value);
  res.keep_alive(keep_alive);
  res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

}  // namespace taskflow::edge
