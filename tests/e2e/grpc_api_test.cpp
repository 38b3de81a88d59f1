// taskflow.v1.Tasks over gRPC against the running binary, with the stubs a
// calling service would generate: the five methods, the HTTP edge's policy
// (credentials, scopes, idempotency keys, deadlines) read from metadata,
// canonical status codes with google.rpc details, health and reflection, and
// gRPC and REST as two doors to the same tasks.
#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <grpc/health/v1/health.grpc.pb.h>
#include <grpc/reflection/v1alpha/reflection.grpc.pb.h>
#include <grpcpp/client_context.h>
#include <grpcpp/health_check_service_interface.h>

#include "tests/e2e/support/grpc_tasks_client.hpp"
#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"
#include "tests/e2e/support/token_forge.hpp"

using namespace taskflow::e2e;
namespace v1 = taskflow::v1;
using grpc::StatusCode;

namespace {

std::vector<std::string> grpc_node() {
  return {"--grpc-listen", "127.0.0.1:0"};
}

v1::CreateTaskRequest new_task(const std::string& title) {
  v1::CreateTaskRequest request;
  request.mutable_task()->set_title(title);
  return request;
}

call_options as(const account& who) {
  call_options options;
  options.authorization = bearer(who.token);
  return options;
}

}  // namespace

TEST_CASE("gRPC creates, gets, lists by page token, updates by field mask and deletes", "[e2e][grpc]") {
  server_process server{grpc_node()};
  auto alice = sign_up(server.port(), "alice@example.com");
  auto bob = sign_up(server.port(), "bob@example.com");
  grpc_tasks_client rpc{server.grpc_port()};

  auto request = new_task("Write the gRPC edge");
  auto* task = request.mutable_task();
  task->set_priority(v1::PRIORITY_HIGH);
  task->add_assignees(bob.id);
  task->add_tags("api");
  task->mutable_due_at()->set_seconds(1'893'456'000);  // 2030-01-01T00:00:00Z
  task->mutable_external_ref()->set_source("jira");
  task->mutable_external_ref()->set_id("API-1");
  auto created = rpc.create(request, as(alice));
  REQUIRE(created.ok());
  const auto& t = created.reply;
  CHECK(t.id().size() == 36);
  CHECK(t.title() == "Write the gRPC edge");
  CHECK(t.priority() == v1::PRIORITY_HIGH);
  CHECK(t.state().status() == v1::TASK_STATUS_TODO);
  CHECK(t.assignees_size() == 1);
  CHECK(t.assignees(0) == bob.id);
  CHECK(t.due_at().seconds() == 1'893'456'000);
  CHECK(t.owner_id() == alice.id);
  CHECK(t.version() == 1);
  CHECK(t.created_at().seconds() > 0);
  CHECK(created.initial.count("x-request-id") == 1);

  auto read = rpc.get(t.id(), as(bob));
  REQUIRE(read.ok());
  CHECK(read.reply.title() == t.title());

  // A field mask names what changes; everything else stays.
  v1::UpdateTaskRequest update;
  update.mutable_task()->set_id(t.id());
  update.mutable_task()->set_title("Ship the gRPC edge");
  update.mutable_task()->set_description("ignored: not in the mask");
  update.mutable_task()->mutable_state()->set_status(v1::TASK_STATUS_IN_PROGRESS);
  update.mutable_update_mask()->add_paths("title");
  update.mutable_update_mask()->add_paths("state.status");
  update.set_expected_version(t.version());
  auto updated = rpc.update(update, as(alice));
  REQUIRE(updated.ok());
  CHECK(updated.reply.title() == "Ship the gRPC edge");
  CHECK(updated.reply.description().empty());
  CHECK(updated.reply.state().status() == v1::TASK_STATUS_IN_PROGRESS);
  CHECK(updated.reply.priority() == v1::PRIORITY_HIGH);
  CHECK(updated.reply.version() == 2);

  // The same expected version again is stale now.
  auto stale = rpc.update(update, as(alice));
  CHECK(stale.status.error_code() == StatusCode::ABORTED);
  CHECK(error_reason(stale.status) == "VERSION_MISMATCH");

  auto unknown_path = update;
  unknown_path.clear_expected_version();
  unknown_path.mutable_update_mask()->add_paths("colour");
  auto refused = rpc.update(unknown_path, as(alice));
  CHECK(refused.status.error_code() == StatusCode::INVALID_ARGUMENT);
  CHECK(field_violations(refused.status).count("update_mask") == 1);

  // A move the status rules forbid is a failed precondition, not a conflict.
  v1::UpdateTaskRequest done_to_cancelled;
  done_to_cancelled.mutable_task()->set_id(t.id());
  done_to_cancelled.mutable_task()->mutable_state()->set_status(v1::TASK_STATUS_DONE);
  REQUIRE(rpc.update(done_to_cancelled, as(alice)).ok());
  done_to_cancelled.mutable_task()->mutable_state()->set_status(v1::TASK_STATUS_CANCELLED);
  CHECK(rpc.update(done_to_cancelled, as(alice)).status.error_code() == StatusCode::FAILED_PRECONDITION);

  // Five more tasks, listed two at a time by page token, newest first.
  std::set<std::string> ids{t.id()};
  for (int i = 0; i < 5; ++i) {
    auto more = rpc.create(new_task("task " + std::to_string(i)), as(alice));
    REQUIRE(more.ok());
    ids.insert(more.reply.id());
  }
  std::set<std::string> listed;
  v1::ListTasksRequest page;
  page.set_page_size(2);
  int pages = 0;
  do {
    auto answer = rpc.list(page, as(alice));
    REQUIRE(answer.ok());
    CHECK(answer.reply.tasks_size() <= 2);
    for (const auto& item : answer.reply.tasks())
      CHECK(listed.insert(item.id()).second);
    page.set_page_token(answer.reply.next_page_token());
    ++pages;
  } while (!page.page_token().empty() && pages < 10);
  CHECK(listed == ids);
  CHECK(pages == 3);

  v1::ListTasksRequest filtered;
  filtered.set_status(v1::TASK_STATUS_DONE);
  auto done = rpc.list(filtered, as(alice));
  REQUIRE(done.ok());
  REQUIRE(done.reply.tasks_size() == 1);
  CHECK(done.reply.tasks(0).id() == t.id());
  // A token continues only the list it came from.
  filtered.set_page_token("not-a-token");
  auto bad_token = rpc.list(filtered, as(alice));
  CHECK(bad_token.status.error_code() == StatusCode::INVALID_ARGUMENT);
  CHECK(field_violations(bad_token.status).count("page_token") == 1);

  REQUIRE(rpc.remove(t.id(), as(alice)).ok());
  CHECK(rpc.get(t.id(), as(alice)).status.error_code() == StatusCode::NOT_FOUND);
}

TEST_CASE("gRPC refuses bad input with INVALID_ARGUMENT and BadRequest field violations", "[e2e][grpc]") {
  server_process server{grpc_node()};
  auto alice = sign_up(server.port(), "alice@example.com");
  grpc_tasks_client rpc{server.grpc_port()};

  auto empty = rpc.create(new_task(""), as(alice));
  CHECK(empty.status.error_code() == StatusCode::INVALID_ARGUMENT);
  CHECK(field_violations(empty.status).count("task.title") == 1);
  CHECK(error_reason(empty.status) == "VALIDATION");

  auto ghost = new_task("assigned to nobody");
  ghost.mutable_task()->add_assignees("0190f5c2-0000-7000-8000-000000000000");
  auto refused = rpc.create(ghost, as(alice));
  CHECK(refused.status.error_code() == StatusCode::INVALID_ARGUMENT);
  CHECK(field_violations(refused.status).count("task.assignees") == 1);

  auto bad_time = new_task("due at a nanosecond past the limit");
  bad_time.mutable_task()->mutable_due_at()->set_nanos(1'000'000'000);
  CHECK(field_violations(rpc.create(bad_time, as(alice)).status).count("task.due_at") == 1);

  CHECK(rpc.get("not-a-uuid", as(alice)).status.error_code() == StatusCode::INVALID_ARGUMENT);
  v1::ListTasksRequest negative;
  negative.set_page_size(-1);
  CHECK(field_violations(rpc.list(negative, as(alice)).status).count("page_size") == 1);

  // The natural key, as over REST: a second task with it already exists.
  auto keyed = new_task("imported");
  keyed.mutable_task()->mutable_external_ref()->set_source("jira");
  keyed.mutable_task()->mutable_external_ref()->set_id("OPS-1");
  auto first = rpc.create(keyed, as(alice));
  REQUIRE(first.ok());
  auto again = rpc.create(keyed, as(alice));
  CHECK(again.status.error_code() == StatusCode::ALREADY_EXISTS);
  CHECK_THAT(again.status.error_message(), Catch::Contains(first.reply.id()));
}

TEST_CASE("gRPC hides other users' tasks and checks every credential and scope", "[e2e][grpc]") {
  server_process server{grpc_node()};
  // Not the node's key: what the forge signs is a forgery to it.
  token_forge forge{server.data_dir().parent_path()};
  auto alice = sign_up(server.port(), "alice@example.com");
  auto mallory = sign_up(server.port(), "mallory@example.com");
  grpc_tasks_client rpc{server.grpc_port()};
  auto created = rpc.create(new_task("private"), as(alice));
  REQUIRE(created.ok());
  const auto id = created.reply.id();

  CHECK(rpc.get(id, as(mallory)).status.error_code() == StatusCode::NOT_FOUND);
  v1::UpdateTaskRequest hijack;
  hijack.mutable_task()->set_id(id);
  hijack.mutable_task()->set_title("mine now");
  CHECK(rpc.update(hijack, as(mallory)).status.error_code() == StatusCode::NOT_FOUND);
  CHECK(rpc.remove(id, as(mallory)).status.error_code() == StatusCode::NOT_FOUND);
  v1::ListTasksRequest all;
  auto theirs = rpc.list(all, as(mallory));
  REQUIRE(theirs.ok());
  CHECK(theirs.reply.tasks_size() == 0);

  call_options anonymous;
  auto no_token = rpc.get(id, anonymous);
  CHECK(no_token.status.error_code() == StatusCode::UNAUTHENTICATED);
  call_options forged;
  forged.authorization = bearer(forge.es256({{"sub", alice.id}, {"exp", 4'102'444'800}}));
  CHECK(rpc.get(id, forged).status.error_code() == StatusCode::UNAUTHENTICATED);
  call_options garbage;
  garbage.authorization = "Bearer not.a.jwt";
  CHECK(rpc.get(id, garbage).status.error_code() == StatusCode::UNAUTHENTICATED);
  call_options unknown_scheme;
  unknown_scheme.authorization = "Basic YWxpY2U6cHc=";
  CHECK(rpc.get(id, unknown_scheme).status.error_code() == StatusCode::UNAUTHENTICATED);

  // An API key with tasks:read reads but may not write.
  http_client c{server.port()};
  auto made = c.post_json("/api/v1/api-keys", {{"name", "reader"}, {"scopes", {"tasks:read"}}}, alice.auth()).json();
  call_options reader;
  reader.authorization = "ApiKey " + made["key"].get<std::string>();
  CHECK(rpc.get(id, reader).ok());
  auto denied = rpc.create(new_task("with a read key"), reader);
  CHECK(denied.status.error_code() == StatusCode::PERMISSION_DENIED);
  call_options header_key;
  header_key.metadata["x-api-key"] = made["key"].get<std::string>();
  CHECK(rpc.get(id, header_key).ok());
}

TEST_CASE("gRPC replays a retried idempotency-key and refuses it for another request", "[e2e][grpc]") {
  server_process server{grpc_node()};
  auto alice = sign_up(server.port(), "alice@example.com");
  grpc_tasks_client rpc{server.grpc_port()};
  auto keyed = as(alice);
  keyed.idempotency_key = "create-42";

  auto first = rpc.create(new_task("exactly once"), keyed);
  REQUIRE(first.ok());
  CHECK_FALSE(first.has_trailer("idempotent-replayed", "true"));
  auto retry = rpc.create(new_task("exactly once"), keyed);
  REQUIRE(retry.ok());
  CHECK(retry.has_trailer("idempotent-replayed", "true"));
  CHECK(retry.reply.id() == first.reply.id());
  CHECK(retry.reply.version() == first.reply.version());

  auto other = rpc.create(new_task("something else"), keyed);
  CHECK(other.status.error_code() == StatusCode::INVALID_ARGUMENT);
  CHECK(error_reason(other.status) == "IDEMPOTENCY_KEY_REUSED");

  // Still one task.
  v1::ListTasksRequest all;
  auto listed = rpc.list(all, as(alice));
  REQUIRE(listed.ok());
  CHECK(listed.reply.tasks_size() == 1);

  auto too_long = as(alice);
  too_long.idempotency_key = std::string(256, 'k');
  CHECK(rpc.create(new_task("long key"), too_long).status.error_code() == StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("a gRPC deadline shorter than the call's work ends it DEADLINE_EXCEEDED", "[e2e][grpc]") {
  server_process server{grpc_node()};
  auto alice = sign_up(server.port(), "alice@example.com");
  grpc_tasks_client rpc{server.grpc_port()};
  auto created = rpc.create(new_task("deadline"), as(alice));
  REQUIRE(created.ok());

  // A millisecond may or may not cover authentication, routing and the
  // actor: a call either makes it or ends DEADLINE_EXCEEDED, never UNKNOWN;
  // one whose deadline has passed when it starts always ends so. (The
  // node's side of a deadline, with a store that stalls, is in
  // grpc_deadline_test.cpp.)
  auto hurried = as(alice);
  hurried.deadline = std::chrono::milliseconds{1};
  for (int i = 0; i < 20; ++i) {
    auto code = rpc.get(created.reply.id(), hurried).status.error_code();
    CHECK((code == StatusCode::OK || code == StatusCode::DEADLINE_EXCEEDED));
  }
  auto late = as(alice);
  late.deadline = std::chrono::milliseconds{0};
  CHECK(rpc.get(created.reply.id(), late).status.error_code() == StatusCode::DEADLINE_EXCEEDED);
  CHECK_THAT(server.log(), !Catch::Contains(R"("code":"UNKNOWN")"));
  CHECK(rpc.get(created.reply.id(), as(alice)).ok());
}

TEST_CASE("past the in-flight budget gRPC calls end UNAVAILABLE at once, each counted once, logged as a sum",
          "[e2e][grpc][overload]") {
  server_process server{{"--grpc-listen", "127.0.0.1:0", "--max-in-flight-requests", "1"}};
  auto alice = sign_up(server.port(), "alice@example.com");

  // Sixteen callers, each on its own channel, creating at once against a
  // budget of one call.
  constexpr int callers = 16;
  constexpr int calls_each = 25;
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::mutex mutex;
  std::map<int, int> by_code;
  std::vector<grpc::Status> shed;
  std::vector<std::thread> threads;
  for (int i = 0; i < callers; ++i)
    threads.emplace_back([&, i] {
      grpc_tasks_client rpc{server.grpc_port()};
      ++ready;
      while (!go)
        std::this_thread::yield();
      for (int n = 0; n < calls_each; ++n) {
        auto status = rpc.create(new_task("burst " + std::to_string(i) + "/" + std::to_string(n)), as(alice)).status;
        std::lock_guard lock{mutex};
        ++by_code[status.error_code()];
        if (status.error_code() == StatusCode::UNAVAILABLE)
          shed.push_back(status);
      }
    });
  while (ready < callers)
    std::this_thread::yield();
  go = true;
  for (auto& t : threads)
    t.join();

  INFO("calls by code: " << nlohmann::json(by_code).dump());
  CHECK(by_code[StatusCode::OK] + by_code[StatusCode::UNAVAILABLE] == callers * calls_each);
  CHECK(by_code[StatusCode::OK] >= 1);
  REQUIRE_FALSE(shed.empty());
  CHECK_THAT(shed.front().error_message(), Catch::Contains("limit of calls in flight"));

  // The budget came back, and every refusal was counted exactly once.
  grpc_tasks_client after{server.grpc_port()};
  CHECK(after.create(new_task("after the burst"), as(alice)).ok());
  http_client c{server.port()};
  auto metrics = c.get("/metrics").body;
  CHECK_THAT(metrics, Catch::Contains("taskflow_grpc_requests_shed_total " + std::to_string(shed.size())));
  CHECK_THAT(metrics, Catch::Contains(R"(taskflow_grpc_requests_total{code="UNAVAILABLE",method="CreateTask"} )" +
                                      std::to_string(shed.size())));
  CHECK_THAT(metrics, Catch::Contains("taskflow_grpc_requests_in_flight 0"));
  // A line a second sums the refusals; none has a grpc_request line.
  auto log = server.log();
  CHECK_THAT(log, Catch::Contains(R"("event":"grpc_calls_shed")"));
  CHECK_THAT(log, !Catch::Contains(R"("code":"UNAVAILABLE")"));
}

TEST_CASE("a task created over gRPC reads over REST and the reverse", "[e2e][grpc]") {
  server_process server{grpc_node()};
  auto alice = sign_up(server.port(), "alice@example.com");
  grpc_tasks_client rpc{server.grpc_port()};
  http_client c{server.port()};

  auto over_grpc = rpc.create(new_task("from gRPC"), as(alice));
  REQUIRE(over_grpc.ok());
  auto read = c.get("/api/v2/tasks/" + over_grpc.reply.id(), alice.auth());
  REQUIRE(read.status == 200);
  CHECK(read.json()["title"] == "from gRPC");
  CHECK(read.header("etag") == "\"" + std::to_string(over_grpc.reply.version()) + "\"");

  auto over_rest = c.post_json("/api/v2/tasks", {{"title", "from REST"}, {"priority", "urgent"}}, alice.auth());
  REQUIRE(over_rest.status == 201);
  auto fetched = rpc.get(over_rest.json()["id"].get<std::string>(), as(alice));
  REQUIRE(fetched.ok());
  CHECK(fetched.reply.title() == "from REST");
  CHECK(fetched.reply.priority() == v1::PRIORITY_URGENT);

  // Each call is counted by method and code on /metrics.
  auto metrics = c.get("/metrics").body;
  CHECK_THAT(metrics, Catch::Contains(R"(taskflow_grpc_requests_total{code="OK",method="CreateTask"} 1)"));
  CHECK_THAT(metrics, Catch::Contains(R"(taskflow_grpc_requests_total{code="OK",method="GetTask"} 1)"));
}

TEST_CASE("gRPC health follows readiness and turns NOT_SERVING on SIGTERM; reflection lists the service",
          "[e2e][grpc]") {
  server_process server{grpc_node()};
  grpc_tasks_client rpc{server.grpc_port()};
  auto health = grpc::health::v1::Health::NewStub(rpc.channel());

  // Reflection: what grpcurl asks first.
  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(rpc.channel());
  {
    grpc::ClientContext context;
    auto stream = reflection->ServerReflectionInfo(&context);
    grpc::reflection::v1alpha::ServerReflectionRequest ask;
    ask.set_list_services("*");
    REQUIRE(stream->Write(ask));
    stream->WritesDone();
    grpc::reflection::v1alpha::ServerReflectionResponse answer;
    REQUIRE(stream->Read(&answer));
    std::set<std::string> services;
    for (const auto& s : answer.list_services_response().service())
      services.insert(s.name());
    CHECK(services.count("taskflow.v1.Tasks") == 1);
    CHECK(services.count("grpc.health.v1.Health") == 1);
    stream->Finish();
  }

  auto status_of = [&](const std::string& service) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds{2});
    grpc::health::v1::HealthCheckRequest ask;
    ask.set_service(service);
    grpc::health::v1::HealthCheckResponse answer;
    auto status = health->Check(&context, ask, &answer);
    return status.ok() ? answer.status() : grpc::health::v1::HealthCheckResponse::UNKNOWN;
  };
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds{5};
  while (status_of("") != grpc::health::v1::HealthCheckResponse::SERVING && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  REQUIRE(status_of("") == grpc::health::v1::HealthCheckResponse::SERVING);

  // A watcher sees the turn as it happens.
  grpc::ClientContext watching;
  watching.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds{20});
  grpc::health::v1::HealthCheckRequest ask;
  auto watch = health->Watch(&watching, ask);
  grpc::health::v1::HealthCheckResponse seen;
  REQUIRE(watch->Read(&seen));
  CHECK(seen.status() == grpc::health::v1::HealthCheckResponse::SERVING);
  auto started = std::chrono::steady_clock::now();
  ::kill(server.pid(), SIGTERM);
  REQUIRE(watch->Read(&seen));
  CHECK(seen.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  watching.TryCancel();
  watch->Finish();
  CHECK(server.terminate() == 0);
  // The open watch did not hold the shutdown up for the drain timeout.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds{10});
}
