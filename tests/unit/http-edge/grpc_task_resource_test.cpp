// The gRPC edge's pure parts: taskflow.v1.Task <-> the domain's snapshot and
// commands, AIP-134 update masks, list requests and page tokens, and the
// status every domain error becomes (with its google.rpc details).
#include <catch2/catch.hpp>

#include <google/rpc/error_details.pb.h>
#include <google/rpc/status.pb.h>

#include "http-edge/grpc/grpc_status.hpp"
#include "http-edge/grpc/task_resource.hpp"
#include "messages/common/errors.hpp"

using namespace taskflow;
using namespace taskflow::edge::grpc_api;
namespace v1 = taskflow::v1;

namespace {

template <class T>
T ok(const std::variant<T, messages::field_errors>& result) {
  if (const auto* errors = std::get_if<messages::field_errors>(&result)) {
    for (const auto& e : *errors)
      UNSCOPED_INFO(e.field() << ": " << e.message());
    FAIL("refused");
  }
  return std::get<T>(result);
}

std::vector<std::string> fields_of(const messages::field_errors& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors)
    out.push_back(e.field());
  return out;
}

template <class T>
std::vector<std::string> refused_fields(const std::variant<T, messages::field_errors>& result) {
  REQUIRE(std::holds_alternative<messages::field_errors>(result));
  return fields_of(std::get<messages::field_errors>(result));
}

google::protobuf::FieldMask mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask m;
  for (const auto* p : paths)
    m.add_paths(p);
  return m;
}

}  // namespace

TEST_CASE("a snapshot becomes the v2-shaped resource, times as Timestamps", "[grpc]") {
  messages::TaskSnapshot s;
  s.set_id("0190f5c2-0000-7000-8000-000000000001");
  s.set_title("t");
  s.set_status(messages::TASK_STATUS_IN_PROGRESS);
  s.set_priority(4);
  s.add_assignees("a");
  s.set_due_at_ms(-1);  // a millisecond before the epoch: floor, not truncation
  s.set_created_at_ms(1'700'000'000'123);
  s.set_status_changed_at_ms(1'700'000'000'500);
  s.set_version(7);
  s.set_edit_version(3);
  auto r = to_resource(s);
  CHECK(r.priority() == v1::PRIORITY_URGENT);
  CHECK(r.state().status() == v1::TASK_STATUS_IN_PROGRESS);
  CHECK(r.state().changed_at().nanos() == 500'000'000);
  CHECK(r.due_at().seconds() == -1);
  CHECK(r.due_at().nanos() == 999'000'000);
  CHECK(r.created_at().seconds() == 1'700'000'000);
  CHECK(r.created_at().nanos() == 123'000'000);
  CHECK(r.version() == 3);  // what clients compare: the edit version, as REST's ETag
  CHECK_FALSE(r.has_external_ref());
}

TEST_CASE("create takes the writable fields and checks enums and times", "[grpc]") {
  v1::Task t;
  t.set_id("ignored");
  t.set_owner_id("ignored");
  t.set_title("x");
  t.mutable_due_at()->set_seconds(10);
  t.mutable_due_at()->set_nanos(5'000'000);
  auto create = ok(create_from_resource(t));
  CHECK_FALSE(create.has_priority());  // unspecified: the domain's default
  CHECK(create.due_at_ms() == 10'005);

  t.set_priority(static_cast<v1::Priority>(9));
  t.mutable_due_at()->set_nanos(-1);
  CHECK(refused_fields(create_from_resource(t)) == std::vector<std::string>{"task.priority", "task.due_at"});
  t.set_priority(v1::PRIORITY_LOW);
  t.mutable_due_at()->set_nanos(0);
  t.mutable_due_at()->set_seconds(253'402'300'800);  // year 10000
  CHECK(refused_fields(create_from_resource(t)) == std::vector<std::string>{"task.due_at"});
}

TEST_CASE("an update mask changes what it names and nothing else", "[grpc]") {
  v1::Task t;
  t.set_title("new");
  t.set_description("not in the mask");
  t.set_priority(v1::PRIORITY_HIGH);
  auto m = mask({"title", "priority", "assignees", "due_at", "id", "version", "external_ref.id"});
  auto u = ok(update_from_resource(t, &m));
  CHECK(u.title() == "new");
  CHECK_FALSE(u.has_description());
  CHECK(u.priority() == 3);
  CHECK(u.replace_assignees());
  CHECK(u.assignees_size() == 0);  // named and empty: clears them
  CHECK(u.clear_due_at());         // named and absent: clears it
  CHECK_FALSE(u.replace_tags());
  CHECK_FALSE(u.has_status());

  auto status = mask({"state.status"});
  t.mutable_state()->set_status(v1::TASK_STATUS_DONE);
  CHECK(ok(update_from_resource(t, &status)).status() == messages::TASK_STATUS_DONE);
  auto state = mask({"state"});
  CHECK(ok(update_from_resource(t, &state)).status() == messages::TASK_STATUS_DONE);

  auto unknown = mask({"title", "colour"});
  CHECK(refused_fields(update_from_resource(t, &unknown)) == std::vector<std::string>{"update_mask"});
  auto priority = mask({"priority"});
  t.set_priority(v1::PRIORITY_UNSPECIFIED);
  CHECK(refused_fields(update_from_resource(t, &priority)) == std::vector<std::string>{"task.priority"});
}

TEST_CASE("without a mask the set fields are the mask; * replaces every updatable field", "[grpc]") {
  v1::Task t;
  t.set_description("d");
  t.add_tags("x");
  auto implied = ok(update_from_resource(t, nullptr));
  CHECK_FALSE(implied.has_title());
  CHECK(implied.description() == "d");
  CHECK(implied.replace_tags());
  CHECK_FALSE(implied.replace_assignees());
  CHECK_FALSE(implied.has_priority());
  CHECK_FALSE(implied.clear_due_at());

  auto all = mask({"*"});
  auto replaced = ok(update_from_resource(t, &all));
  CHECK(replaced.has_title());
  CHECK(replaced.title().empty());  // the domain refuses an empty title
  CHECK(replaced.priority() == 2);  // unspecified in a replacement: the default
  CHECK(replaced.replace_assignees());
  CHECK(replaced.clear_due_at());
  CHECK_FALSE(replaced.has_status());  // left alone unless named
}

TEST_CASE("list requests check filters and sizes, and page tokens are REST v2's cursors", "[grpc]") {
  v1::ListTasksRequest request;
  messages::ListTasksQuery query;
  CHECK(read_list_request(request, query).empty());
  CHECK(query.limit() == 50);
  request.set_page_size(10'000);
  CHECK(read_list_request(request, query).empty());
  CHECK(query.limit() == 200);

  request.set_page_size(-1);
  request.set_assignee("bob");
  request.set_status(static_cast<v1::TaskStatus>(42));
  messages::ListTasksQuery refused;
  CHECK(fields_of(read_list_request(request, refused)) == std::vector<std::string>{"status", "assignee", "page_size"});

  // A page ends with more: its token continues after its last task, for the
  // same filters only.
  messages::ListTasksQuery done;
  done.set_status(messages::TASK_STATUS_DONE);
  messages::TaskPage page;
  auto* last = page.add_items();
  last->set_id("0190f5c2-0000-7000-8000-000000000009");
  last->set_created_at_ms(42);
  page.set_has_more(true);
  auto token = to_list_response(page, done).next_page_token();
  REQUIRE_FALSE(token.empty());

  v1::ListTasksRequest next;
  next.set_status(v1::TASK_STATUS_DONE);
  next.set_page_token(token);
  messages::ListTasksQuery continued;
  CHECK(read_list_request(next, continued).empty());
  CHECK(continued.keyset().after().id() == last->id());
  CHECK(continued.keyset().after().created_at_ms() == 42);
  next.set_status(v1::TASK_STATUS_TODO);
  messages::ListTasksQuery other;
  CHECK(fields_of(read_list_request(next, other)) == std::vector<std::string>{"page_token"});

  page.set_has_more(false);
  CHECK(to_list_response(page, done).next_page_token().empty());
}

TEST_CASE("every domain error has its own canonical code, with ErrorInfo and BadRequest", "[grpc]") {
  using grpc::StatusCode;
  auto code_of = [](messages::ErrorCode c) { return status_of(messages::make_error(c, "d")).error_code(); };
  CHECK(code_of(messages::ERROR_CODE_NOT_FOUND) == StatusCode::NOT_FOUND);
  CHECK(code_of(messages::ERROR_CODE_VERSION_MISMATCH) == StatusCode::ABORTED);
  CHECK(code_of(messages::ERROR_CODE_CONFLICT) == StatusCode::ABORTED);
  CHECK(code_of(messages::ERROR_CODE_INVALID_TRANSITION) == StatusCode::FAILED_PRECONDITION);
  CHECK(code_of(messages::ERROR_CODE_FORBIDDEN) == StatusCode::PERMISSION_DENIED);
  CHECK(code_of(messages::ERROR_CODE_UNAUTHENTICATED) == StatusCode::UNAUTHENTICATED);
  CHECK(code_of(messages::ERROR_CODE_RATE_LIMITED) == StatusCode::RESOURCE_EXHAUSTED);
  CHECK(code_of(messages::ERROR_CODE_UNAVAILABLE) == StatusCode::UNAVAILABLE);
  CHECK(code_of(messages::ERROR_CODE_OVERLOADED) == StatusCode::UNAVAILABLE);
  CHECK(code_of(messages::ERROR_CODE_MOVED) == StatusCode::UNAVAILABLE);
  CHECK(code_of(messages::ERROR_CODE_DEADLINE_EXCEEDED) == StatusCode::DEADLINE_EXCEEDED);
  CHECK(code_of(messages::ERROR_CODE_INTERNAL) == StatusCode::INTERNAL);
  for (int c = messages::ErrorCode_MIN; c <= messages::ErrorCode_MAX; ++c)
    CHECK(code_of(static_cast<messages::ErrorCode>(c)) != StatusCode::UNKNOWN);

  auto taken = messages::make_error(messages::ERROR_CODE_CONFLICT, "taken");
  taken.set_existing_id("0190f5c2-0000-7000-8000-00000000000a");
  auto exists = status_of(taken);
  CHECK(exists.error_code() == StatusCode::ALREADY_EXISTS);
  google::rpc::Status details;
  REQUIRE(details.ParseFromString(exists.error_details()));
  google::rpc::ErrorInfo info;
  REQUIRE(details.details(0).UnpackTo(&info));
  CHECK(info.reason() == "CONFLICT");
  CHECK(info.domain() == "taskflow.v1.Tasks");
  CHECK(info.metadata().at("existing_id") == taken.existing_id());

  auto invalid = messages::make_error(messages::ERROR_CODE_VALIDATION, "bad");
  auto* f = invalid.add_field_errors();
  f->set_field("due_date");
  f->set_message("must be in the future");
  auto status = status_of(invalid);
  CHECK(status.error_code() == StatusCode::INVALID_ARGUMENT);
  REQUIRE(details.ParseFromString(status.error_details()));
  google::rpc::BadRequest bad;
  REQUIRE(details.details_size() == 2);
  REQUIRE(details.details(1).UnpackTo(&bad));
  REQUIRE(bad.field_violations_size() == 1);
  CHECK(bad.field_violations(0).field() == "task.due_at");
  CHECK(bad.field_violations(0).description() == "must be in the future");

  auto limited = status_of(messages::make_error(messages::ERROR_CODE_RATE_LIMITED, "slow down"));
  REQUIRE(details.ParseFromString(limited.error_details()));
  google::rpc::RetryInfo retry;
  REQUIRE(details.details(1).UnpackTo(&retry));
  CHECK(retry.retry_delay().seconds() == 1);
}
