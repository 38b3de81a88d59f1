// The node's side of a gRPC deadline: the caller's deadline goes into the
// actor request, so when the store stalls (PostgreSQL stopped with SIGSTOP,
// its connections open and silent) the node itself answers
// DEADLINE_EXCEEDED within the caller's deadline, not after its own 5 s
// request timeout, and the call is logged so.
#include <catch2/catch.hpp>

#include <chrono>
#include <regex>
#include <string>

#include "tests/e2e/support/grpc_tasks_client.hpp"
#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"
#include "tests/support/test_stack.hpp"

using namespace taskflow::e2e;
using namespace std::chrono_literals;

TEST_CASE("with PostgreSQL stalled, the node ends a gRPC write at the caller's deadline", "[e2e][grpc][backends]") {
  taskflow::testing::test_stack stack;
  server_process server{{"--postgres", stack.postgres_url(), "--nats", stack.nats_url(), "--node-id", "e2e",
                         "--grpc-listen", "127.0.0.1:0"}};
  auto alice = sign_up(server.port(), "alice@example.com");
  grpc_tasks_client rpc{server.grpc_port()};
  call_options options;
  options.authorization = bearer(alice.token);
  taskflow::v1::CreateTaskRequest request;
  request.mutable_task()->set_title("before the stall");
  // Warms the token's verification, so the stall is met by the write.
  REQUIRE(rpc.create(request, options).ok());

  stack.kill("postgres", "STOP");
  request.mutable_task()->set_title("during the stall");
  options.deadline = 800ms;
  auto started = std::chrono::steady_clock::now();
  auto stalled = rpc.create(request, options);
  auto waited = std::chrono::steady_clock::now() - started;
  stack.kill("postgres", "CONT");
  CHECK(stalled.status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED);
  CHECK(waited < 2s);

  // The node's own answer: DEADLINE_EXCEEDED, after about the caller's 800 ms.
  static const std::regex logged{
      R"re("code":"DEADLINE_EXCEEDED","duration_ms":([0-9.]+)[^\n]*"method":"CreateTask")re"};
  std::smatch m;
  auto until = std::chrono::steady_clock::now() + 5s;
  std::string log;
  while (!std::regex_search(log = server.log(), m, logged) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(50ms);
  INFO(log.substr(log.size() > 4000 ? log.size() - 4000 : 0));
  REQUIRE(std::regex_search(log, m, logged));
  CHECK(std::stod(m[1]) < 2000.0);
}
