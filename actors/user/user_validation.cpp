#include "actors/user/user_validation.hpp"

#include <algorithm>

#include "messages/common/text_checks.hpp"

namespace taskflow::user {

std::string normalize_email(std::string_view email) {
  std::string out{email};
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); });
  return out;
}

void validate_email(std::string_view email, messages::field_errors& errors) {
  auto at = email.find('@');
  bool shaped = at != std::string_view::npos && at > 0 && email.find('@', at + 1) == std::string_view::npos &&
                email.find('.', at + 2) != std::string_view::npos && email.back() != '.';
  bool clean = std::none_of(email.begin(), email.end(), [](unsigned char c) { return c <= ' ' || c == 0x7f; });
  if (email.empty())
    messages::add_field_error(errors, "email", "is required");
  else if (email.size() > max_email_bytes)
    messages::add_field_error(errors, "email", "must be at most 254 characters");
  else if (!shaped || !clean)
    messages::add_field_error(errors, "email", "must be an address like name@example.com");
}

void validate_password(std::string_view password, messages::field_errors& errors) {
  if (text::utf8_length(password) < min_password_chars)
    messages::add_field_error(errors, "password", "must be at least 10 characters");
  else if (password.size() > max_password_bytes)
    messages::add_field_error(errors, "password", "must be at most 1024 bytes");
}

void validate_display_name(std::string_view display_name, messages::field_errors& errors) {
  if (text::is_blank(display_name))
    messages::add_field_error(errors, "display_name", "must not be empty or blank");
  else if (text::utf8_length(display_name) > max_display_name_chars)
    messages::add_field_error(errors, "display_name", "must be at most 100 characters");
  else if (text::has_control_characters(display_name))
    messages::add_field_error(errors, "display_name", "must not contain control characters");
}

}  // namespace taskflow::user
