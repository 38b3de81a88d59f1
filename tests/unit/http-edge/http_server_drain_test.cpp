// The server's drain: a request still waiting for its answer when the drain
// begins gets that answer, even when nothing else keeps the I/O threads busy
// (the acceptor closed, idle connections gone). Without a work guard the
// threads ran out of work and the answer was posted to a context nobody ran:
// on a loaded cluster a leaving worker then held two requests until its drain
// timed out.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "http-edge/routing/router.hpp"
#include "http-edge/server/http_server.hpp"
#include "http-edge/server/request_pipeline.hpp"
#include "http-edge/server/tcp_listener.hpp"
#include "runtime/config/config.hpp"
#include "runtime/observability/logger.hpp"
#include "runtime/observability/metrics.hpp"

using namespace taskflow;
using namespace std::chrono_literals;

namespace {

// A blocking loopback client with a receive timeout, so a missing answer
// fails the test instead of hanging it.
int connect_to(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

std::string read_all(int fd) {
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;)
    out.append(buffer, static_cast<std::size_t>(n));
  return out;
}

}  // namespace

TEST_CASE("a drain waits for an answer that comes while no socket operation is pending", "[http]") {
  runtime::config cfg;
  runtime::metrics stats;
  runtime::logger log{runtime::log_level::error};
  edge::router routes;
  routes.add(edge::http::verb::get, "/slow", {.who = edge::access::anyone},
             [](std::shared_ptr<edge::request_context>, edge::responder answer) {
               // Answers later from another thread, as an actor does.
               std::thread{[answer = std::move(answer)] {
                 std::this_thread::sleep_for(300ms);
                 edge::http_response res{edge::http::status::ok, 11};
                 res.body() = "late answer";
                 res.prepare_payload();
                 answer(std::move(res));
               }}.detach();
             });
  edge::request_pipeline pipeline{routes, cfg, stats, log, nullptr, nullptr};
  edge::http_server server{pipeline, edge::server_limits{}, log};
  auto listener = edge::tcp_listener::open("127.0.0.1", 0);
  REQUIRE(listener);
  auto port = listener->port();
  REQUIRE(server.start(std::move(*listener), 2));

  int fd = connect_to(port);
  std::string request = "GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::this_thread::sleep_for(100ms);  // the request is with its handler now

  CHECK(server.drain(3s) == 0);
  auto answer = read_all(fd);
  ::close(fd);
  server.stop();
  CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 200"));
  CHECK_THAT(answer, Catch::Contains("late answer"));
  CHECK_THAT(answer, Catch::Contains("Connection: close"));
}
