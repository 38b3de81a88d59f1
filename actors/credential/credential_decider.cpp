#include "actors/credential/credential_decider.hpp"

#include <algorithm>

#include "actors/credential/scopes.hpp"
#include "messages/common/errors.hpp"
#include "messages/common/text_checks.hpp"

namespace taskflow::credential {
namespace {

messages::Error forbidden(std::string detail) {
  return messages::make_error(messages::ERROR_CODE_FORBIDDEN, std::move(detail));
}

void validate_name(const std::string& name, messages::field_errors& errors) {
  if (text::is_blank(name))
    messages::add_field_error(errors, "name", "must not be empty or blank");
  else if (text::utf8_length(name) > max_name_chars)
    messages::add_field_error(errors, "name", "must be at most 100 characters");
  else if (text::has_control_characters(name))
    messages::add_field_error(errors, "name", "must not contain control characters");
}

void validate_scopes(const std::vector<std::string>& scopes, messages::field_errors& errors) {
  if (scopes.empty())
    messages::add_field_error(errors, "scopes", "must name at least one scope");
  for (const auto& s : scopes)
    if (!is_known_scope(s)) {
      messages::add_field_error(errors, "scopes", "unknown scope '" + s + "' (known: tasks:read, tasks:write)");
      break;
    }
}

std::vector<std::string> deduplicated(std::vector<std::string> xs) {
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  return xs;
}

grant_decision validated(std::string name, std::vector<std::string> scopes) {
  messages::field_errors errors;
  validate_name(name, errors);
  validate_scopes(scopes, errors);
  if (!errors.empty())
    return messages::validation_error("The request has invalid fields.", std::move(errors));
  return named_grant{std::move(name), deduplicated(std::move(scopes))};
}

}  // namespace

std::optional<messages::Error> may_manage_api_keys(credential_kind via) {
  if (via != credential_kind::session)
    return forbidden("API keys are managed with a session access token.");
  return std::nullopt;
}

grant_decision decide_api_key(credential_kind via, std::string name, std::vector<std::string> scopes) {
  if (auto refused = may_manage_api_keys(via))
    return *refused;
  return validated(std::move(name), std::move(scopes));
}

grant_decision decide_client(const messages::Principal& who, credential_kind via, std::string name,
                             std::vector<std::string> scopes) {
  bool admin = std::find(who.roles().begin(), who.roles().end(), "admin") != who.roles().end();
  if (!admin || via == credential_kind::client)
    return forbidden("Only an admin may create OAuth2 clients.");
  return validated(std::move(name), std::move(scopes));
}

std::variant<std::vector<std::string>, messages::Error> granted_client_scopes(
    const std::vector<std::string>& client_scopes, std::vector<std::string> requested) {
  auto granted = requested.empty() ? client_scopes : deduplicated(std::move(requested));
  for (const auto& s : granted)
    if (std::find(client_scopes.begin(), client_scopes.end(), s) == client_scopes.end())
      return forbidden("The client may not request the scope '" + s + "'.");
  return granted;
}

messages::EventEnvelope api_key_revoked(const std::string& user_id, const std::string& key_id, std::int64_t now_ms,
                                        std::string event_id, std::string traceparent) {
  messages::EventEnvelope event;
  event.set_event_id(std::move(event_id));
  event.set_aggregate_type("api_key");
  event.set_aggregate_id(key_id);
  // A key is revoked once; its one event is its only version.
  event.set_version(1);
  event.set_occurred_at_ms(now_ms);
  event.set_traceparent(std::move(traceparent));
  event.mutable_api_key_revoked()->set_user_id(user_id);
  return event;
}

}  // namespace taskflow::credential
