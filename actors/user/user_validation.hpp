// Field rules of the user model. Each function appends to `errors`, so one
// answer lists every problem. Passwords are checked here, before hashing, by
// whoever holds the clear text; the actor only ever sees the hash.
#pragma once

#include <string>
#include <string_view>

#include "messages/common/field_errors.hpp"

namespace taskflow::user {

inline constexpr std::size_t min_password_chars = 10;
// Argon2 accepts more, but a megabyte "password" is a denial-of-service probe.
inline constexpr std::size_t max_password_bytes = 1024;
inline constexpr std::size_t max_email_bytes = 254;
inline constexpr std::size_t max_display_name_chars = 100;

// The form under which emails are unique: ASCII letters folded to lower case.
std::string normalize_email(std::string_view email);

void validate_email(std::string_view email, messages::field_errors& errors);
void validate_password(std::string_view password, messages::field_errors& errors);
void validate_display_name(std::string_view display_name, messages::field_errors& errors);

}  // namespace taskflow::user
