// Field rules of users and the email normal form their uniqueness rests on.
#include <catch2/catch.hpp>

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
  errors.clear();
  user::validate_display_name(std::string{"Ada\0Lovelace", 12}, errors);
  user::validate_display_name("Ada\x1b]0;owned\x07", errors);
  user::validate_email(std::string{"a\0@b.co", 7}, errors);
  CHECK(errors.size() == 3);
}
