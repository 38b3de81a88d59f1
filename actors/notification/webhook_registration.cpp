#include "actors/notification/webhook_registration.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "actors/notification/notification_rules.hpp"

namespace taskflow::notification {
namespace {

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size())
    return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i])
      return false;
  return true;
}

std::optional<webhook_target> refuse(messages::field_errors& errors, std::string message) {
  messages::add_field_error(errors, "url", std::move(message));
  return std::nullopt;
}

}  // namespace

std::optional<webhook_target> parse_webhook_url(std::string_view url, messages::field_errors& errors) {
  if (url.empty() || url.size() > max_webhook_url_length)
    return refuse(errors, "must be an http or https URL of at most 2048 characters");
  webhook_target target;
  if (starts_with_ci(url, "https://")) {
    target.scheme = "https";
    target.port = 443;
    url.remove_prefix(8);
  } else if (starts_with_ci(url, "http://")) {
    target.scheme = "http";
    target.port = 80;
    url.remove_prefix(7);
  } else {
    return refuse(errors, "must start with http:// or https://");
  }
  for (char ch : url)
    if (static_cast<unsigned char>(ch) <= 0x20 || ch == 0x7f || ch == '\\')
      return refuse(errors, "must not contain spaces, control characters or backslashes");
  auto authority = url.substr(0, url.find_first_of("/?#"));
  if (authority.find('@') != std::string_view::npos)
    return refuse(errors, "must not carry credentials; the signature authenticates deliveries");
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return refuse(errors, "has an unterminated IPv6 address");
    target.host = std::string{authority.substr(1, close - 1)};
    auto rest = authority.substr(close + 1);
    if (!rest.empty() && rest.front() != ':')
      return refuse(errors, "has text after its IPv6 address");
    if (!rest.empty())
      port_text = rest.substr(1);
  } else {
    auto colon = authority.find(':');
    target.host = std::string{authority.substr(0, colon)};
    if (colon != std::string_view::npos)
      port_text = authority.substr(colon + 1);
  }
  if (target.host.empty())
    return refuse(errors, "has no host");
  if (!port_text.empty()) {
    unsigned port = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
      return refuse(errors, "has a port outside 1-65535");
    target.port = static_cast<std::uint16_t>(port);
  }
  return target;
}

bool is_webhook_event_type(std::string_view type) {
  return type == type_assigned || type == type_status_changed || type == type_due_soon || type == type_overdue;
}

std::vector<std::string> checked_event_types(const std::vector<std::string>& events, messages::field_errors& errors) {
  std::vector<std::string> out;
  for (const auto& type : events) {
    if (!is_webhook_event_type(type)) {
      messages::add_field_error(
          errors, "events",
          "unknown event type '" + type + "' (known: task.assigned, task.status_changed, task.due_soon, task.overdue)");
      return {};
    }
    if (std::find(out.begin(), out.end(), type) == out.end())
      out.push_back(type);
  }
  if (out.empty())
    messages::add_field_error(errors, "events", "must name at least one event type");
  return out;
}

bool has_secret_prefix(std::string_view secret) {
  return secret.substr(0, secret_prefix.size()) == secret_prefix;
}

}  // namespace taskflow::notification
