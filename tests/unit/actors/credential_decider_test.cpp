// The rules for API keys and OAuth2 clients: who may make them, what a valid
// one is, which scopes a client-credentials token may carry, and the event a
// revocation publishes.
#include <catch2/catch.hpp>

#include "actors/credential/credential_decider.hpp"
#include "actors/credential/scopes.hpp"

using namespace taskflow;
using namespace taskflow::credential;

namespace {

const messages::Error& refused(const grant_decision& d) {
  REQUIRE(std::holds_alternative<messages::Error>(d));
  return std::get<messages::Error>(d);
}

const named_grant& granted(const grant_decision& d) {
  REQUIRE(std::holds_alternative<named_grant>(d));
  return std::get<named_grant>(d);
}

messages::Principal person(std::initializer_list<const char*> roles) {
  messages::Principal p;
  p.set_id("u-1");
  for (const auto* r : roles)
    p.add_roles(r);
  return p;
}

}  // namespace

TEST_CASE("the scopes that exist", "[credential]") {
  CHECK(all_scopes() == std::vector<std::string>{"tasks:read", "tasks:write"});
  CHECK(is_known_scope("tasks:read"));
  CHECK_FALSE(is_known_scope("tasks:admin"));
  CHECK_FALSE(is_known_scope(""));
}

TEST_CASE("a key must not mint keys: only a session makes or revokes them", "[credential]") {
  CHECK_FALSE(may_manage_api_keys(credential_kind::session));
  for (auto via : {credential_kind::api_key, credential_kind::client}) {
    auto refusal = may_manage_api_keys(via);
    REQUIRE(refusal);
    CHECK(refusal->code() == messages::ERROR_CODE_FORBIDDEN);
    CHECK(refused(decide_api_key(via, "ci", {"tasks:read"})).code() == messages::ERROR_CODE_FORBIDDEN);
  }
}

TEST_CASE("a new key has a name and known scopes, each once and sorted", "[credential]") {
  auto ok = granted(decide_api_key(credential_kind::session, "ci", {"tasks:write", "tasks:read", "tasks:write"}));
  CHECK(ok.name == "ci");
  CHECK(ok.scopes == std::vector<std::string>{"tasks:read", "tasks:write"});

  auto blank = refused(decide_api_key(credential_kind::session, "  ", {"tasks:read"}));
  CHECK(blank.code() == messages::ERROR_CODE_VALIDATION);
  REQUIRE(blank.field_errors_size() == 1);
  CHECK(blank.field_errors(0).field() == "name");

  auto long_name = std::string(max_name_chars + 1, 'k');
  CHECK(refused(decide_api_key(credential_kind::session, long_name, {"tasks:read"})).field_errors(0).field() == "name");
  CHECK(std::holds_alternative<named_grant>(
      decide_api_key(credential_kind::session, std::string(max_name_chars, 'k'), {"tasks:read"})));

  auto none = refused(decide_api_key(credential_kind::session, "ci", {}));
  CHECK(none.field_errors(0).field() == "scopes");
  auto unknown = refused(decide_api_key(credential_kind::session, "", {"tasks:admin"}));
  CHECK(unknown.field_errors_size() == 2);  // both fields reported at once
  CHECK(unknown.field_errors(1).message().find("tasks:admin") != std::string::npos);
}

TEST_CASE("only an admin acting as a person registers OAuth2 clients", "[credential]") {
  CHECK(granted(decide_client(person({"admin"}), credential_kind::session, "reporting", {"tasks:read"})).name ==
        "reporting");
  CHECK(std::holds_alternative<named_grant>(
      decide_client(person({"admin"}), credential_kind::api_key, "reporting", {"tasks:read"})));
  CHECK(refused(decide_client(person({"user"}), credential_kind::session, "reporting", {"tasks:read"})).code() ==
        messages::ERROR_CODE_FORBIDDEN);
  CHECK(refused(decide_client(person({"admin"}), credential_kind::client, "reporting", {"tasks:read"})).code() ==
        messages::ERROR_CODE_FORBIDDEN);
  CHECK(refused(decide_client(person({"admin"}), credential_kind::session, "reporting", {"nope"})).code() ==
        messages::ERROR_CODE_VALIDATION);
}

TEST_CASE("a client-credentials token carries what was asked for, within the client's scopes", "[credential]") {
  const std::vector<std::string> client{"tasks:read", "tasks:write"};
  using scopes = std::vector<std::string>;
  CHECK(std::get<scopes>(granted_client_scopes(client, {})) == client);
  CHECK(std::get<scopes>(granted_client_scopes(client, {"tasks:read", "tasks:read"})) == scopes{"tasks:read"});
  auto beyond = granted_client_scopes({"tasks:read"}, {"tasks:read", "tasks:write"});
  REQUIRE(std::holds_alternative<messages::Error>(beyond));
  CHECK(std::get<messages::Error>(beyond).code() == messages::ERROR_CODE_FORBIDDEN);
  CHECK(std::get<messages::Error>(beyond).detail().find("tasks:write") != std::string::npos);
}

TEST_CASE("a revocation publishes one api_key event naming the owner", "[credential]") {
  auto event = api_key_revoked("u-1", "k-1", 1'700'000'000'000, "e-1", "00-trace-01");
  CHECK(event.event_id() == "e-1");
  CHECK(event.aggregate_type() == "api_key");
  CHECK(event.aggregate_id() == "k-1");
  CHECK(event.version() == 1);
  CHECK(event.occurred_at_ms() == 1'700'000'000'000);
  CHECK(event.traceparent() == "00-trace-01");
  REQUIRE(event.has_api_key_revoked());
  CHECK(event.api_key_revoked().user_id() == "u-1");
}
