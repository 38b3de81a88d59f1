// The pure rules of the Idempotency-Key middleware: which header values are
// keys, what makes two requests the same (the fingerprint), and the ids that
// every retry of one keyed request shares, and the routes that ignore keys.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <variant>

#include "http-edge/middleware/idempotency.hpp"
#include "messages/ids/uuid.hpp"

using namespace taskflow;
using namespace taskflow::edge;

namespace {

std::string key_of(std::vector<std::string_view> values) {
  auto r = parse_idempotency_key(values);
  if (auto* p = std::get_if<problem>(&r))
    FAIL("refused: " << p->detail);
  return std::get<std::string>(r);
}

problem refusal_of(std::vector<std::string_view> values) {
  auto r = parse_idempotency_key(values);
  REQUIRE(std::holds_alternative<problem>(r));
  auto p = std::get<problem>(r);
  CHECK(p.status == http::status::bad_request);
  CHECK(p.slug == "invalid-idempotency-key");
  return p;
}

}  // namespace

TEST_CASE("keys are bare tokens or Structured Fields strings", "[idempotency]") {
  CHECK(key_of({"8e03978e-40d5-43e8-bc93-6894a57f9324"}) == "8e03978e-40d5-43e8-bc93-6894a57f9324");
  CHECK(key_of({"\"8e03978e-40d5\""}) == "8e03978e-40d5");
  CHECK(key_of({"\"with space and \\\"quote\\\" and \\\\\""}) == "with space and \"quote\" and \\");
  CHECK(key_of({"  padded  "}) == "padded");
}

TEST_CASE("255 characters is the longest key, 256 is a 400", "[idempotency]") {
  std::string longest(255, 'k');
  CHECK(key_of({longest}) == longest);
  std::string too_long(256, 'k');
  CHECK(refusal_of({too_long}).detail.find("255") != std::string::npos);
  auto quoted = "\"" + too_long + "\"";
  refusal_of({quoted});
}

TEST_CASE("empty, repeated, unprintable or badly quoted keys are a 400", "[idempotency]") {
  refusal_of({""});
  refusal_of({"\"\""});
  refusal_of({"a", "b"});
  refusal_of({"two words"});
  refusal_of({"caf\xc3\xa9"});
  refusal_of({"\"unterminated"});
  refusal_of({"\"bad \\n escape\""});
  refusal_of({"\"inner \" quote\""});
}

TEST_CASE("the fingerprint changes with method, path or body and nothing else", "[idempotency]") {
  auto base = request_fingerprint("POST", "/api/v2/tasks", R"({"title":"a"})");
  CHECK(base.size() == 64);
  CHECK(base == request_fingerprint("POST", "/api/v2/tasks", R"({"title":"a"})"));
  CHECK(base != request_fingerprint("PATCH", "/api/v2/tasks", R"({"title":"a"})"));
  CHECK(base != request_fingerprint("POST", "/api/v1/tasks", R"({"title":"a"})"));
  CHECK(base != request_fingerprint("POST", "/api/v2/tasks", R"({"title":"b"})"));
  CHECK(base != request_fingerprint("POST", "/api/v2/tasks", R"({"title": "a"})"));
}

TEST_CASE("the fingerprint keeps the parts apart", "[idempotency]") {
  // Moving bytes between path and body is a different request.
  CHECK(request_fingerprint("POST", "/api/v2/tasksx", "y") != request_fingerprint("POST", "/api/v2/tasks", "xy"));
  CHECK(request_fingerprint("POS", "T/api", "") != request_fingerprint("POST", "/api", ""));
}

TEST_CASE("an execution id is the same for every retry and differs by principal, key and first use", "[idempotency]") {
  auto id = execution_id_for("alice", "k1", 1000);
  CHECK(id == execution_id_for("alice", "k1", 1000));
  CHECK(id != execution_id_for("bob", "k1", 1000));
  CHECK(id != execution_id_for("alice", "k2", 1000));
  CHECK(id != execution_id_for("alice", "k1", 1001));
}

TEST_CASE("request-scoped ids are name-based UUIDs per purpose, or fresh without a key", "[idempotency]") {
  request_context keyed;
  keyed.execution_id = execution_id_for("alice", "k1", 1000);
  auto command = request_scoped_id(keyed, "command");
  auto task = request_scoped_id(keyed, "task");
  CHECK(ids::is_uuid(command));
  CHECK(ids::is_uuid(task));
  CHECK(command[14] == '8');                                          // version 8
  CHECK(std::string{"89ab"}.find(command[19]) != std::string::npos);  // RFC 9562 variant
  CHECK(command != task);
  CHECK(command == request_scoped_id(keyed, "command"));

  request_context plain;
  std::set<std::string> fresh{request_scoped_id(plain, "command"), request_scoped_id(plain, "command")};
  CHECK(fresh.size() == 2);
  CHECK(ids::is_uuid(*fresh.begin()));
}
