#include "tools/taskflowctl/session_grant.hpp"

#include <nlohmann/json.hpp>

namespace taskflow::ctl {

std::variant<reply, transport_error> open_session(const admin_client& client, const std::string& email,
                                                  const std::string& password) {
  return client.post_json("/api/v1/sessions", nlohmann::json{{"email", email}, {"password", password}}.dump());
}

std::variant<reply, transport_error> refresh_session(const admin_client& client, const std::string& refresh_token) {
  return client.post_json("/api/v1/sessions/refresh", nlohmann::json{{"refresh_token", refresh_token}}.dump());
}

std::optional<saved_session> session_from_grant(const std::string& url, const nlohmann::json& grant,
                                                std::int64_t now_s) {
  if (!grant.is_object() || !grant.contains("access_token") || !grant.contains("refresh_token") ||
      !grant["access_token"].is_string() || !grant["refresh_token"].is_string())
    return std::nullopt;
  saved_session out;
  out.url = url;
  out.access_token = grant["access_token"].get<std::string>();
  out.refresh_token = grant["refresh_token"].get<std::string>();
  out.access_expires_at_s = now_s + grant.value("expires_in", std::int64_t{0});
  return out;
}

std::string saved_access_token(const admin_client& client, const std::string& url, std::int64_t now_s) {
  auto file = credentials_path();
  auto saved = load_session(file);
  if (!saved || saved->url != url)
    return {};
  if (now_s < saved->access_expires_at_s - refresh_margin_s)
    return saved->access_token;
  auto answer = refresh_session(client, saved->refresh_token);
  // Unreachable: the command that follows says so, with the token it has.
  if (std::holds_alternative<transport_error>(answer))
    return saved->access_token;
  const auto& r = std::get<reply>(answer);
  auto refreshed =
      r.status == 200 ? session_from_grant(url, nlohmann::json::parse(r.body, nullptr, false), now_s) : std::nullopt;
  if (!refreshed) {
    // A refresh token the server refuses (used, revoked, expired) will not
    // work again: forget it, so the next command asks for a login.
    if (r.status == 401)
      forget_session(file);
    return {};
  }
  // The old refresh token is spent now; losing the new one would end the
  // session, so a failed write still lets this command run.
  save_session(file, *refreshed);
  return refreshed->access_token;
}

}  // namespace taskflow::ctl
