// RFC 9457 problem details: each domain ErrorCode becomes one HTTP status and
// problem type, and render() writes application/problem+json with the members
// API.md promises.
#include <catch2/catch.hpp>

#include <string>

#include "http-edge/problem/problem.hpp"

using namespace taskflow;
using namespace taskflow::edge;
using nlohmann::json;

namespace {

messages::Error error_of(messages::ErrorCode code, std::string detail = "what went wrong") {
  messages::Error e;
  e.set_code(code);
  e.set_detail(std::move(detail));
  return e;
}

messages::FieldError field_error(std::string field, std::string message) {
  messages::FieldError e;
  e.set_field(std::move(field));
  e.set_message(std::move(message));
  return e;
}

json body_of(const http_response& res) {
  auto body = json::parse(res.body(), nullptr, false);
  REQUIRE(body.is_object());
  return body;
}

std::string header(const http_response& res, std::string_view name) {
  auto it = res.find(boost::beast::string_view{name.data(), name.size()});
  return it == res.end() ? std::string{} : std::string{it->value()};
}

bool has_header(const http_response& res, std::string_view name) {
  return res.find(boost::beast::string_view{name.data(), name.size()}) != res.end();
}

}  // namespace

TEST_CASE("each domain error code maps to its HTTP status and problem type", "[problem]") {
  struct expectation {
    messages::ErrorCode code;
    http::status status;
    const char* slug;
  };
  auto e = GENERATE(values<expectation>({
      {messages::ERROR_CODE_NOT_FOUND, http::status::not_found, "not-found"},
      {messages::ERROR_CODE_INVALID_TRANSITION, http::status::conflict, "invalid-transition"},
      {messages::ERROR_CODE_VERSION_MISMATCH, http::status::precondition_failed, "precondition-failed"},
      {messages::ERROR_CODE_PRECONDITION_REQUIRED, http::status::precondition_required, "precondition-required"},
      {messages::ERROR_CODE_CONFLICT, http::status::conflict, "conflict"},
      {messages::ERROR_CODE_FORBIDDEN, http::status::forbidden, "forbidden"},
      {messages::ERROR_CODE_UNAVAILABLE, http::status::service_unavailable, "unavailable"},
      {messages::ERROR_CODE_MOVED, http::status::service_unavailable, "unavailable"},
      {messages::ERROR_CODE_OVERLOADED, http::status::service_unavailable, "unavailable"},
      {messages::ERROR_CODE_DEADLINE_EXCEEDED, http::status::gateway_timeout, "deadline-exceeded"},
      {messages::ERROR_CODE_VALIDATION, http::status::bad_request, "bad-request"},
  }));
  CAPTURE(messages::ErrorCode_Name(e.code));
  auto p = from_error(error_of(e.code));
  CHECK(p.status == e.status);
  CHECK(p.slug == e.slug);
  CHECK_FALSE(p.title.empty());
  CHECK(p.detail == "what went wrong");
  CHECK(p.errors.empty());
}

TEST_CASE("a validation error with field errors lists them", "[problem]") {
  auto e = error_of(messages::ERROR_CODE_VALIDATION);
  *e.add_field_errors() = field_error("title", "is required");
  *e.add_field_errors() = field_error("priority", "must be 1 to 4");
  auto p = from_error(e);
  CHECK(p.status == http::status::bad_request);
  CHECK(p.slug == "validation");
  REQUIRE(p.errors.size() == 2);
  CHECK(p.errors[0].field() == "title");
  CHECK(p.errors[1].field() == "priority");
}

TEST_CASE("two conflicts are told apart by their problem type", "[problem]") {
  CHECK(from_error(error_of(messages::ERROR_CODE_CONFLICT)).slug !=
        from_error(error_of(messages::ERROR_CODE_INVALID_TRANSITION)).slug);
}

TEST_CASE("unavailability tells the client when to retry", "[problem]") {
  auto unavailable = from_error(error_of(messages::ERROR_CODE_UNAVAILABLE));
  auto overloaded = from_error(error_of(messages::ERROR_CODE_OVERLOADED));
  CHECK(unavailable.headers == std::vector<std::pair<std::string, std::string>>{{"Retry-After", "1"}});
  CHECK(overloaded.headers == std::vector<std::pair<std::string, std::string>>{{"Retry-After", "2"}});
}

TEST_CASE("internal and unknown errors are 500 without leaking their detail", "[problem]") {
  auto code =
      GENERATE(messages::ERROR_CODE_INTERNAL, messages::ERROR_CODE_UNSPECIFIED, static_cast<messages::ErrorCode>(99));
  CAPTURE(static_cast<int>(code));
  auto p = from_error(error_of(code, "pqxx: connection to 10.0.0.5 refused"));
  CHECK(p.status == http::status::internal_server_error);
  CHECK(p.slug == "internal");
  CHECK(p.detail.find("10.0.0.5") == std::string::npos);
  CHECK_FALSE(p.detail.empty());
}

TEST_CASE("the problem constructors give their documented statuses", "[problem]") {
  CHECK(bad_request("x").status == http::status::bad_request);
  CHECK(not_found("x").status == http::status::not_found);
  CHECK(method_not_allowed("GET").status == http::status::method_not_allowed);
  CHECK(unsupported_media_type("x").status == http::status::unsupported_media_type);
  CHECK(payload_too_large(1).status == http::status::payload_too_large);
  CHECK(headers_too_large().status == http::status::request_header_fields_too_large);
  CHECK(precondition_required("x").status == http::status::precondition_required);
  CHECK(precondition_failed("x").status == http::status::precondition_failed);
  CHECK(service_unavailable("x", 5).status == http::status::service_unavailable);
}

TEST_CASE("a payload-too-large problem names the limit", "[problem]") {
  CHECK_THAT(payload_too_large(1'048'576).detail, Catch::Contains("1048576"));
}

TEST_CASE("a rendered problem is application/problem+json with the RFC 9457 members", "[problem]") {
  auto res = render(not_found("No task with this id."), "/api/v1/tasks/abc", 11, true);
  CHECK(res.result() == http::status::not_found);
  CHECK(header(res, "Content-Type") == "application/problem+json");
  auto body = body_of(res);
  CHECK(body.at("type") == "/problems/not-found");
  CHECK(body.at("title") == "Not found");
  CHECK(body.at("status") == 404);
  CHECK(body.at("status").is_number_integer());
  CHECK(body.at("detail") == "No task with this id.");
  CHECK(body.at("instance") == "/api/v1/tasks/abc");
  CHECK_FALSE(body.contains("errors"));
  CHECK(body.size() == 5);
}

TEST_CASE("the status member always equals the HTTP status", "[problem]") {
  for (const auto& p : {bad_request("x"), method_not_allowed("GET"), payload_too_large(1), headers_too_large(),
                        precondition_required("x"), service_unavailable("x", 1),
                        from_error(error_of(messages::ERROR_CODE_DEADLINE_EXCEEDED)),
                        from_error(error_of(messages::ERROR_CODE_INTERNAL))}) {
    auto res = render(p, "/x", 11, true);
    CAPTURE(res.result_int());
    CHECK(body_of(res).at("status") == res.result_int());
  }
}

TEST_CASE("a rendered validation problem carries its errors", "[problem]") {
  auto res = render(validation_failed({field_error("title", "is required"), field_error("due_date", "bad")}),
                    "/api/v1/tasks", 11, true);
  CHECK(res.result() == http::status::bad_request);
  auto body = body_of(res);
  CHECK(body.at("type") == "/problems/validation");
  CHECK(body.at("errors") ==
        json::array({{{"field", "title"}, {"message", "is required"}}, {{"field", "due_date"}, {"message", "bad"}}}));
}

TEST_CASE("a 405 carries the Allow header", "[problem]") {
  auto res = render(method_not_allowed("GET, POST, HEAD"), "/api/v1/tasks", 11, true);
  CHECK(res.result() == http::status::method_not_allowed);
  CHECK(header(res, "Allow") == "GET, POST, HEAD");
  CHECK_THAT(body_of(res).at("detail").get<std::string>(), Catch::Contains("GET, POST, HEAD"));
}

TEST_CASE("a 503 carries the Retry-After header", "[problem]") {
  auto res = render(service_unavailable("draining", 7), "/api/v1/tasks", 11, true);
  CHECK(res.result() == http::status::service_unavailable);
  CHECK(header(res, "Retry-After") == "7");
}

TEST_CASE("problems without headers add none", "[problem]") {
  auto res = render(bad_request("x"), "/x", 11, true);
  CHECK_FALSE(has_header(res, "Allow"));
  CHECK_FALSE(has_header(res, "Retry-After"));
}

TEST_CASE("the body length, HTTP version and keep-alive are set", "[problem]") {
  auto res = render(bad_request("x"), "/x", 10, false);
  CHECK(res.version() == 10);
  CHECK_FALSE(res.keep_alive());
  CHECK(header(res, "Content-Length") == std::to_string(res.body().size()));
  auto kept = render(bad_request("x"), "/x", 11, true);
  CHECK(kept.version() == 11);
  CHECK(kept.keep_alive());
}

TEST_CASE("client-controlled text is escaped into valid JSON", "[problem]") {
  const std::string instance = "/api/v1/tasks/\"}, \"status\": 200, \"x\": \"\n\\";
  auto res = render(not_found("detail with \"quotes\"\r\n and \t tabs"), instance, 11, true);
  auto body = body_of(res);
  CHECK(body.at("instance") == instance);
  CHECK(body.at("status") == 404);
  CHECK(body.at("detail") == "detail with \"quotes\"\r\n and \t tabs");
}

TEST_CASE("invalid UTF-8 in the path or detail still renders a valid JSON body", "[problem]") {
  // A percent-decoded path can hold any bytes; dumping must neither throw nor
  // emit bytes a client's JSON parser refuses.
  auto res = render(not_found("No resource at /\xFF\xC3."), "/\xFF\xC3(", 11, true);
  auto body = body_of(res);
  CHECK(body.at("status") == 404);
  CHECK(body.at("instance").get<std::string>().find('\xFF') == std::string::npos);
}

TEST_CASE("extensions are rendered but cannot replace standard members", "[problem]") {
  auto p = precondition_failed("stale");
  p.extensions = {{"current_version", 4}, {"status", 200}, {"type", "about:blank"}};
  auto body = body_of(render(p, "/x", 11, true));
  CHECK(body.at("current_version") == 4);
  CHECK(body.at("status") == 412);
  CHECK(body.at("type") == "/problems/precondition-failed");
}
