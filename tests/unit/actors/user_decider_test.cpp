// The user aggregate's decide() and apply() without an actor: each command's
// accepted and refused paths, and how events fold into the state.
#include <catch2/catch.hpp>

#include <algorithm>

#include "actors/user/user_decider.hpp"

using namespace taskflow;
using messages::EventEnvelope;

namespace {

const std::string user_id = "01a20f1d-0000-7000-8000-0000000000aa";

messages::UserCommand register_command(std::vector<std::string> roles = {}) {
  messages::UserCommand cmd;
  cmd.set_user_id(user_id);
  auto& reg = *cmd.mutable_register_();
  reg.set_email("Ada@Example.com");
  reg.set_display_name("Ada");
  reg.set_password_hash("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA");
  for (auto& role : roles)
    reg.add_roles(std::move(role));
  return cmd;
}

messages::UserCommand get_command() {
  messages::UserCommand cmd;
  cmd.set_user_id(user_id);
  cmd.mutable_get();
  return cmd;
}

std::vector<EventEnvelope> events_of(const user::decision& d) {
  if (const auto* e = std::get_if<messages::Error>(&d))
    FAIL("expected events, got error " << e->detail());
  return std::get<std::vector<EventEnvelope>>(d);
}

messages::Error error_of(const user::decision& d) {
  REQUIRE(std::holds_alternative<messages::Error>(d));
  return std::get<messages::Error>(d);
}

std::vector<std::string> roles_of(const messages::UserSnapshot& user) {
  return {user.roles().begin(), user.roles().end()};
}

std::vector<std::string> fields_of(const messages::Error& error) {
  std::vector<std::string> out;
  for (const auto& f : error.field_errors())
    out.push_back(f.field());
  std::sort(out.begin(), out.end());
  return out;
}

user::user_state registered() {
  auto events = events_of(user::decide({}, register_command(), 1'000));
  REQUIRE(events.size() == 1);
  return user::apply({}, events.front());
}

}  // namespace

TEST_CASE("registering a new id makes one UserRegistered event at version 1", "[unit][user]") {
  auto events = events_of(user::decide({}, register_command(), 1'234));
  REQUIRE(events.size() == 1);
  const auto& e = events.front();
  CHECK(e.aggregate_type() == "user");
  CHECK(e.aggregate_id() == user_id);
  CHECK(e.version() == 1);
  CHECK(e.occurred_at_ms() == 1'234);
  // The shell stamps the ids.
  CHECK(e.event_id().empty());
  REQUIRE(e.has_user_registered());
  const auto& u = e.user_registered().user();
  CHECK(u.id() == user_id);
  CHECK(u.email() == "Ada@Example.com");  // as given; uniqueness folds case elsewhere
  CHECK(u.display_name() == "Ada");
  CHECK(u.created_at_ms() == 1'234);
  CHECK(u.version() == 1);
  CHECK(roles_of(u) == std::vector<std::string>{"user"});
}

TEST_CASE("every user gets the user role once, admin is granted on top of it", "[unit][user]") {
  auto admin = events_of(user::decide({}, register_command({"admin"}), 1));
  CHECK(roles_of(admin.front().user_registered().user()) == std::vector<std::string>{"user", "admin"});
  auto both = events_of(user::decide({}, register_command({"admin", "user"}), 1));
  CHECK(roles_of(both.front().user_registered().user()) == std::vector<std::string>{"user", "admin"});
  auto plain = events_of(user::decide({}, register_command({"user"}), 1));
  CHECK(roles_of(plain.front().user_registered().user()) == std::vector<std::string>{"user"});
}

TEST_CASE("registering an id that exists is a conflict and makes no event", "[unit][user]") {
  auto state = registered();
  auto error = error_of(user::decide(state, register_command(), 2'000));
  CHECK(error.code() == messages::ERROR_CODE_CONFLICT);
  CHECK(error.field_errors().empty());
}

TEST_CASE("a registration with bad fields is refused with one field error per problem", "[unit][user]") {
  auto cmd = register_command({"root"});
  auto& reg = *cmd.mutable_register_();
  reg.set_email("not-an-address");
  reg.set_display_name("   ");
  reg.clear_password_hash();
  auto error = error_of(user::decide({}, cmd, 1));
  CHECK(error.code() == messages::ERROR_CODE_VALIDATION);
  CHECK(fields_of(error) == std::vector<std::string>{"display_name", "email", "password", "roles"});
}

TEST_CASE("each registration field is checked on its own", "[unit][user]") {
  SECTION("email") {
    auto cmd = register_command();
    cmd.mutable_register_()->set_email("");
    CHECK(fields_of(error_of(user::decide({}, cmd, 1))) == std::vector<std::string>{"email"});
  }
  SECTION("display name") {
    auto cmd = register_command();
    cmd.mutable_register_()->set_display_name(std::string(101, 'x'));
    CHECK(fields_of(error_of(user::decide({}, cmd, 1))) == std::vector<std::string>{"display_name"});
  }
  SECTION("an unknown role among known ones") {
    auto cmd = register_command({"admin", "owner"});
    CHECK(fields_of(error_of(user::decide({}, cmd, 1))) == std::vector<std::string>{"roles"});
  }
  SECTION("password hash") {
    auto cmd = register_command();
    cmd.mutable_register_()->clear_password_hash();
    CHECK(fields_of(error_of(user::decide({}, cmd, 1))) == std::vector<std::string>{"password"});
  }
}

TEST_CASE("getting a registered user is accepted with no event", "[unit][user]") {
  auto events = events_of(user::decide(registered(), get_command(), 5'000));
  CHECK(events.empty());
}

TEST_CASE("getting an id never registered is not found", "[unit][user]") {
  CHECK(error_of(user::decide({}, get_command(), 5'000)).code() == messages::ERROR_CODE_NOT_FOUND);
}

TEST_CASE("a command without a body is refused as invalid, whatever the state", "[unit][user]") {
  messages::UserCommand empty;
  empty.set_user_id(user_id);
  CHECK(error_of(user::decide({}, empty, 1)).code() == messages::ERROR_CODE_VALIDATION);
  CHECK(error_of(user::decide(registered(), empty, 1)).code() == messages::ERROR_CODE_VALIDATION);
}

TEST_CASE("apply folds a registration into the snapshot and keeps the password hash", "[unit][user]") {
  user::user_state before;
  before.password_hash = "carried over by the shell";
  CHECK_FALSE(before.exists());
  auto events = events_of(user::decide(before, register_command({"admin"}), 7'000));
  auto after = user::apply(before, events.front());
  CHECK(after.exists());
  CHECK(after.snapshot.id() == user_id);
  CHECK(after.snapshot.email() == "Ada@Example.com");
  CHECK(after.snapshot.created_at_ms() == 7'000);
  CHECK(after.snapshot.version() == 1);
  CHECK(roles_of(after.snapshot) == std::vector<std::string>{"user", "admin"});
  CHECK(after.password_hash == "carried over by the shell");
}

TEST_CASE("apply takes the version of any event, and the snapshot only from a registration", "[unit][user]") {
  auto state = registered();
  EventEnvelope other;
  other.set_aggregate_type("user");
  other.set_aggregate_id(user_id);
  other.set_version(2);
  auto after = user::apply(state, other);
  CHECK(after.snapshot.version() == 2);
  CHECK(after.snapshot.email() == state.snapshot.email());
  CHECK(roles_of(after.snapshot) == roles_of(state.snapshot));
}
