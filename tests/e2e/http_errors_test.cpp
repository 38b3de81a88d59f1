// Every error status API.md lists, as RFC 9457 problem+json, and never a 500
// or a reset connection for bad input.
#include <catch2/catch.hpp>

#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/support/http_client.hpp"
#include "tests/e2e/support/server_process.hpp"

using namespace taskflow::e2e;
using nlohmann::json;

namespace {

void check_problem(const http_result& r, int status, const std::string& instance) {
  CAPTURE(r.body);
  CHECK(r.status == status);
  CHECK(r.header("content-type") == "application/problem+json");
  auto p = r.json();
  CHECK(p["status"] == status);
  CHECK(p["instance"] == instance);
  CHECK(p["type"].is_string());
  CHECK(p["title"].is_string());
  CHECK(p["detail"].is_string());
}

}  // namespace

TEST_CASE("malformed, wrongly typed and invalid bodies answer 400", "[e2e][errors]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto post = [&](const std::string& body) {
    return c.request("POST", "/api/v1/tasks", body, {{"Content-Type", "application/json"}});
  };
  check_problem(post(R"({"title": )"), 400, "/api/v1/tasks");
  check_problem(post(""), 400, "/api/v1/tasks");
  check_problem(post("[1,2]"), 400, "/api/v1/tasks");
  check_problem(post("{\"title\":\"\xff\xfe\"}"), 400, "/api/v1/tasks");
  check_problem(post(std::string(100, '[') + std::string(100, ']')), 400, "/api/v1/tasks");

  auto invalid = post(R"({"title": "", "priority": 9, "assignee_id": "bob", "due_date": "tomorrow"})");
  check_problem(invalid, 400, "/api/v1/tasks");
  std::set<std::string> fields;
  auto invalid_problem = invalid.json();
  for (const auto& e : invalid_problem["errors"])
    fields.insert(e["field"].get<std::string>());
  CHECK(fields == std::set<std::string>{"due_date"});

  auto domain = post(R"({"title": "   ", "priority": 9, "assignee_id": "bob"})");
  fields.clear();
  auto domain_problem = domain.json();
  for (const auto& e : domain_problem["errors"])
    fields.insert(e["field"].get<std::string>());
  CHECK(fields == std::set<std::string>{"title", "priority", "assignee_id"});

  check_problem(post(R"({"title": 42})"), 400, "/api/v1/tasks");
  check_problem(post(R"({"title": "x", "priority": "high"})"), 400, "/api/v1/tasks");
  check_problem(post(R"({"title": "x", "priority": 2.5})"), 400, "/api/v1/tasks");
  check_problem(post(R"({"title": "x", "source": "jira"})"), 400, "/api/v1/tasks");
  check_problem(post(R"({"title": "x", "status": "done"})"), 400, "/api/v1/tasks");
  check_problem(post(R"({"title": ")" + std::string(201, 'a') + "\"}"), 400, "/api/v1/tasks");
  check_problem(post(R"({"title": "x", "description": ")" + std::string(10'001, 'd') + "\"}"), 400, "/api/v1/tasks");
}

TEST_CASE("wrong or missing content type answers 415", "[e2e][errors]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  check_problem(c.request("POST", "/api/v1/tasks", R"({"title":"x"})", {{"Content-Type", "text/plain"}}), 415,
                "/api/v1/tasks");
  check_problem(c.request("POST", "/api/v1/tasks", R"({"title":"x"})"), 415, "/api/v1/tasks");
  check_problem(
      c.request("POST", "/api/v1/tasks", R"({"title":"x"})", {{"Content-Type", "application/json; charset=latin1"}}),
      415, "/api/v1/tasks");
  CHECK(c.request("POST", "/api/v1/tasks", R"({"title":"x"})", {{"Content-Type", "Application/JSON; charset=UTF-8"}})
            .status == 201);
}

TEST_CASE("a body over 1 MiB answers 413", "[e2e][errors]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  std::string big = R"({"title":"x","description":")" + std::string((1 << 20) + 10, 'a') + "\"}";
  auto r = c.request("POST", "/api/v1/tasks", big, {{"Content-Type", "application/json"}});
  CHECK(r.status == 413);
  CHECK(r.header("content-type") == "application/problem+json");
  // The server stays healthy for the next client.
  http_client next{server.port()};
  sign_in_as_admin(next);
  CHECK(next.get("/healthz").status == 200);
}

TEST_CASE("unknown routes 404, wrong methods 405 with Allow", "[e2e][errors]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  check_problem(c.get("/api/v1/nothing"), 404, "/api/v1/nothing");
  check_problem(c.get("/api/v1/tasks/00000000-0000-7000-8000-00000000dead"), 404,
                "/api/v1/tasks/00000000-0000-7000-8000-00000000dead");
  check_problem(c.get("/api/v1/tasks/not-a-uuid"), 404, "/api/v1/tasks/not-a-uuid");
  auto put = c.request("PUT", "/api/v1/tasks", "{}", {{"Content-Type", "application/json"}});
  check_problem(put, 405, "/api/v1/tasks");
  CHECK(put.header("allow").find("POST") != std::string::npos);
  CHECK(put.header("allow").find("GET") != std::string::npos);
  auto post_item = c.request("POST", "/api/v1/tasks/00000000-0000-7000-8000-00000000dead", "{}",
                             {{"Content-Type", "application/json"}});
  CHECK(post_item.status == 405);
  CHECK(post_item.header("allow").find("PATCH") != std::string::npos);
}

TEST_CASE("oversized headers answer 431 instead of a reset", "[e2e][errors]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto reply =
      c.raw_exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(64 * 1024, 'p') + "\r\n\r\n");
  CHECK(reply.rfind("HTTP/1.1 431", 0) == 0);
  CHECK(reply.find("application/problem+json") != std::string::npos);

  // The limit is the whole head's: a long request line and fields each under
  // it, together over it (found by the http_framing fuzz target).
  auto split = c.raw_exchange("GET /healthz?" + std::string(9000, 'q') +
                              " HTTP/1.1\r\nHost: x\r\nX-Padding: " + std::string(9000, 'p') + "\r\n\r\n");
  CHECK(split.rfind("HTTP/1.1 431", 0) == 0);
  auto under = c.raw_exchange("GET /healthz?" + std::string(4000, 'q') + " HTTP/1.1\r\nHost: x\r\nX-Padding: " +
                              std::string(4000, 'p') + "\r\nConnection: close\r\n\r\n");
  CHECK(under.rfind("HTTP/1.1 200", 0) == 0);
}

TEST_CASE("garbage on the wire answers 400 and closes", "[e2e][errors]") {
  server_process server;
  http_client c{server.port()};
  sign_in_as_admin(c);
  auto reply = c.raw_exchange("HELLO THERE\r\n\r\n");
  CHECK(reply.rfind("HTTP/1.1 400", 0) == 0);
  CHECK(reply.find("application/problem+json") != std::string::npos);
  CHECK(http_client{server.port()}.get("/healthz").status == 200);
}

TEST_CASE("a body framed in a way two readers could split differently is refused, and hides no request",
          "[e2e][errors][smuggling]") {
  server_process server;
  http_client c{server.port()};
  auto token = sign_in_as_admin(c)["access_token"].get<std::string>();
  // What a smuggler hides in the body: a second request riding on someone's token.
  const std::string hidden = "GET /api/v1/users/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n";
  const std::string chunked_hidden = [&] {
    std::ostringstream hex;
    hex << std::hex << hidden.size();
    return hex.str() + "\r\n" + hidden + "\r\n0\r\n\r\n";
  }();
  struct framing {
    std::string headers;
    std::string body;
  };
  for (const auto& f : std::vector<framing>{
           {"Transfer-Encoding: identity\r\n", hidden},
           {"Transfer-Encoding: gzip\r\n", hidden},
           {"Transfer-Encoding: xchunked\r\n", hidden},
           {"Transfer-Encoding: chunked, identity\r\n", hidden},
           {"Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", hidden},
           {"Transfer-Encoding: chunked, chunked\r\n", chunked_hidden},
           {"Transfer-Encoding: gzip, chunked\r\n", chunked_hidden},
           {"Transfer-Encoding: identity\r\nContent-Length: " + std::to_string(hidden.size()) + "\r\n", hidden},
           {"Transfer-Encoding: chunked\r\nContent-Length: " + std::to_string(chunked_hidden.size()) + "\r\n",
            chunked_hidden},
           {"Content-Length: " + std::to_string(hidden.size()) + "\r\nContent-Length: 0\r\n", hidden},
       }) {
    INFO(f.headers);
    auto reply = c.raw_exchange("POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                                f.headers + "\r\n" + f.body);
    // One answer, a 400, and the connection closed: the hidden request never ran.
    CHECK(statuses_in(reply) == std::vector<std::string>{"400"});
    CHECK(reply.find("application/problem+json") != std::string::npos);
    CHECK(reply.find("admin@") == std::string::npos);
  }
  // HTTP/1.0 has no transfer codings at all.
  CHECK(statuses_in(c.raw_exchange("POST /api/v1/tasks HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")) ==
        std::vector<std::string>{"400"});
  // A plain chunked body is still welcome.
  const std::string task = R"({"title":"chunked"})";
  std::ostringstream size;
  size << std::hex << task.size();
  auto fine =
      c.raw_exchange("POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                     "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
                     size.str() + "\r\n" + task + "\r\n0\r\n\r\n");
  CHECK(statuses_in(fine) == std::vector<std::string>{"201"});
}

TEST_CASE("a request without Host, or with two credentials, is refused rather than guessed at",
          "[e2e][errors][smuggling]") {
  server_process server;
  http_client c{server.port()};
  auto token = sign_in_as_admin(c)["access_token"].get<std::string>();
  CHECK(statuses_in(c.raw_exchange("GET /healthz HTTP/1.1\r\n\r\n")) == std::vector<std::string>{"400"});
  CHECK(statuses_in(c.raw_exchange("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")) ==
        std::vector<std::string>{"400"});
  // HTTP/1.0 predates Host: it may leave it out.
  CHECK(statuses_in(c.raw_exchange("GET /healthz HTTP/1.0\r\n\r\n")) == std::vector<std::string>{"200"});
  for (const auto& twice : {"Authorization: Bearer " + token + "\r\nAuthorization: Bearer " + token + "\r\n",
                            "Authorization: Bearer " + token + "\r\nauthorization: Bearer nobody\r\n",
                            std::string{"X-API-Key: tf_a\r\nX-Api-Key: tf_b\r\n"}}) {
    INFO(twice);
    auto reply = c.raw_exchange("GET /api/v1/users/me HTTP/1.1\r\nHost: x\r\n" + twice + "\r\n");
    CHECK(statuses_in(reply) == std::vector<std::string>{"400"});
    CHECK(reply.find("one ") != std::string::npos);
  }
  CHECK(c.get("/api/v1/users/me", {{"Authorization", "Bearer " + token}}).status == 200);
}

TEST_CASE("trailer fields after a chunked body are refused, not merged into the head", "[e2e][errors][smuggling]") {
  server_process server;
  http_client c{server.port()};
  auto token = sign_in_as_admin(c)["access_token"].get<std::string>();
  const std::string head = "POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token +
                           "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string body = "d\r\n{\"title\":\"t\"}\r\n0\r\n";
  // A second Host or credential in the trailer section, or any trailer at all.
  for (const std::string trailer : {"Host: elsewhere\r\n", "Authorization: Bearer nobody\r\n", "X-Note: 1\r\n"}) {
    INFO(trailer);
    auto reply = c.raw_exchange(head + body + trailer + "\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    CHECK(statuses_in(reply) == std::vector<std::string>{"400"});
    CHECK(reply.find("trailer") != std::string::npos);
  }
  // Without trailers the same request is served.
  CHECK(statuses_in(c.raw_exchange(head + body + "\r\n")) == std::vector<std::string>{"201"});
}
