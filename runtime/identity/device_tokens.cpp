#include "runtime/identity/device_tokens.hpp"

#include <variant>

namespace taskflow::runtime {

device_tokens::device_tokens(std::shared_ptr<const signing_keyring> keys, std::string issuer)
    : codec_(std::move(keys),
             token_settings{std::move(issuer), "taskflow-device", std::chrono::seconds{30}, device_token_lifetime}) {}

std::string device_tokens::issue(const std::string& email, const std::string& device_id, std::int64_t now_s) const {
  access_claims claims;
  claims.subject = email;
  claims.token_id = device_id;
  claims.issued_at_s = now_s;
  claims.expires_at_s = now_s + device_token_lifetime.count();
  auto token = codec_.issue(claims);
  return token ? std::move(*token) : std::string{};
}

std::optional<std::string> device_tokens::device_of(std::string_view token, std::string_view email,
                                                    std::int64_t now_s) const {
  if (token.empty())
    return std::nullopt;
  auto verified = codec_.verify(token, now_s);
  auto* claims = std::get_if<access_claims>(&verified);
  if (!claims || claims->subject != email)
    return std::nullopt;
  return claims->token_id;
}

}  // namespace taskflow::runtime
