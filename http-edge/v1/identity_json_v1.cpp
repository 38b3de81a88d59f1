#include "http-edge/v1/identity_json_v1.hpp"

#include "messages/time/rfc3339.hpp"

namespace taskflow::edge::v1 {

using nlohmann::json;

json user_to_json(const messages::UserSnapshot& user) {
  return {{"id", user.id()},
          {"email", user.email()},
          {"display_name", user.display_name()},
          {"roles", std::vector<std::string>{user.roles().begin(), user.roles().end()}},
          {"created_at", clock::format_rfc3339(user.created_at_ms())}};
}

json token_grant_to_json(const runtime::token_grant& grant) {
  json out{{"access_token", grant.access_token}, {"token_type", "Bearer"}, {"expires_in", grant.expires_in_s}};
  if (!grant.session_id.empty()) {
    out["session_id"] = grant.session_id;
    out["refresh_token"] = grant.refresh_token;
  }
  std::string scope;
  for (const auto& s : grant.scopes)
    scope += (scope.empty() ? "" : " ") + s;
  out["scope"] = scope;
  if (!grant.device_token.empty())
    out["device_token"] = grant.device_token;
  return out;
}

json api_key_to_json(const runtime::created_api_key& key) {
  return {{"id", key.record.id},
          {"name", key.record.name},
          {"key", key.key},
          {"prefix", key.record.prefix},
          {"scopes", key.record.scopes},
          {"created_at", clock::format_rfc3339(key.record.created_at_ms)}};
}

json client_to_json(const runtime::created_client& client) {
  return {{"client_id", client.record.client_id},
          {"client_secret", client.secret},
          {"name", client.record.name},
          {"scopes", client.record.scopes},
          {"created_at", clock::format_rfc3339(client.record.created_at_ms)}};
}

std::string string_field(const json& body, const std::string& name, messages::field_errors& errors) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    messages::add_field_error(errors, name, "is required");
    return {};
  }
  if (!it->is_string()) {
    messages::add_field_error(errors, name, "must be a string");
    return {};
  }
  return it->get<std::string>();
}

std::vector<std::string> strings_field(const json& body, const std::string& name, messages::field_errors& errors) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    messages::add_field_error(errors, name, "is required");
    return {};
  }
  std::vector<std::string> out;
  if (it->is_array())
    for (const auto& x : *it) {
      if (!x.is_string())
        break;
      out.push_back(x.get<std::string>());
    }
  if (!it->is_array() || out.size() != it->size()) {
    messages::add_field_error(errors, name, "must be an array of strings");
    return {};
  }
  return out;
}

}  // namespace taskflow::edge::v1
