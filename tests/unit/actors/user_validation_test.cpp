// Field rules of users and the email normal form their uniqueness rests on.
#include <catch2/catch.hpp>

#include "actors/user/user_decider.hpp"
#include "actors/user/user_validation.hpp"

using namespace taskflow;

TEST_CASE("emails are unique by their lower-case form", "[unit][user]") {
  CHECK(user::normalize_email("Ada.Lovelace@Example.COM") == "ada.lovelace@example.com");
}

TEST_CASE("email, password and display name rules", "[unit][user]") {
  messages::field_errors errors;
  user::validate_email("a@b.co", errors);
  user::validate_password("0123456789", errors);
  user::validate_display_name("Ada", errors);
  CHECK(errors.empty());
  for (auto bad : {"", "plain", "@b.co", "a@b", "a@@b.co", "a b@c.de", "a@b.co."})
    user::validate_email(bad, errors);
  CHECK(errors.size() == 7);
  errors.clear();
  user::validate_password("123456789", errors);
  user::validate_password(std::string(1025, 'x'), errors);
  user::validate_display_name("   ", errors);
  CHECK(errors.size() == 3);
}

TEST_CASE("registration makes a user, admin is granted on top of user", "[unit][user]") {
  messages::UserCommand cmd;
  cmd.set_user_id("u-1");
  auto& reg = *cmd.mutable_register_();
  reg.set_email("root@example.com");
  reg.set_display_name("Root");
  reg.set_password_hash("$argon2id$...");
  reg.add_roles("admin");
  auto d = user::decide({}, cmd, 5);
  auto* events = std::get_if<std::vector<messages::EventEnvelope>>(&d);
  REQUIRE(events);
  auto state = user::apply({}, events->front());
  CHECK(state.snapshot.roles().size() == 2);
  CHECK(state.snapshot.roles(0) == "user");
  CHECK(state.snapshot.roles(1) == "admin");
  CHECK(state.exists());
  // A second registration under the same id is a conflict.
  auto again = user::decide(state, cmd, 6);
  REQUIRE(std::holds_alternative<messages::Error>(again));
}
