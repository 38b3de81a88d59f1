#include "runtime/identity/access_token.hpp"

#include <cstdint>
#include <limits>
#include <sstream>

#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

namespace taskflow::runtime {
namespace {

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs)
    out += (out.empty() ? "" : " ") + x;
  return out;
}

// A NumericDate claim (RFC 7519 §2). We issue whole seconds, so a fraction,
// a string or a number past 64 bits is refused rather than rounded.
struct time_claim {
  bool present = false;
  bool valid = true;
  std::int64_t value = 0;
};

time_claim time_of(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end())
    return {};
  if (it->is_number_unsigned()) {
    auto value = it->get<std::uint64_t>();
    if (value > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      return {true, false};
    return {true, true, static_cast<std::int64_t>(value)};
  }
  if (it->is_number_integer())
    return {true, true, it->get<std::int64_t>()};
  return {true, false};
}

// The string claim `name`, or nullptr when it is absent or not a string.
const std::string* string_of(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  return it != claims.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
}

bool audience_matches(const nlohmann::json& claims, const std::string& audience) {
  if (const auto* aud = string_of(claims, "aud"))
    return *aud == audience;
  auto it = claims.find("aud");
  if (it == claims.end() || !it->is_array())
    return false;
  for (const auto& a : *it)
    if (a.is_string() && a.get_ref<const std::string&>() == audience)
      return true;
  return false;
}

// The key that may have signed a token with this header: the token's alg must
// be the key's own, and a kid, when given, must be the key's.
bool may_have_signed(const signing_key& key, const nlohmann::json& header) {
  auto alg = header.find("alg");
  if (alg == header.end() || *alg != key.algorithm)
    return false;
  auto kid = header.find("kid");
  return kid == header.end() || *kid == key.kid;
}

}  // namespace

caf::expected<std::string> access_token_codec::issue(const access_claims& claims) const {
  const auto& key = keys_->current();
  nlohmann::json body{{"sub", claims.subject},        {"jti", claims.token_id},    {"roles", claims.roles},
                      {"scope", join(claims.scopes)}, {"iat", claims.issued_at_s}, {"nbf", claims.issued_at_s},
                      {"exp", claims.expires_at_s},   {"iss", settings_.issuer},   {"aud", settings_.audience}};
  if (!claims.session_id.empty())
    body["sid"] = claims.session_id;
  return key.jws.sign({{"typ", "JWT"}, {"kid", key.kid}}, body.dump());
}

std::variant<access_claims, token_rejection> access_token_codec::verify(std::string_view token,
                                                                        std::int64_t now_s) const {
  if (token.empty() || token.size() > 8192)
    return token_rejection{"malformed"};
  auto jws = split_compact_jws(token);
  if (!jws)
    return token_rejection{"malformed"};
  bool signed_by_us = false;
  for (const auto& key : keys_->keys())
    if (may_have_signed(key, jws->header) && key.jws.verifies(jws->signing_input, jws->signature)) {
      signed_by_us = true;
      break;
    }
  if (!signed_by_us)
    return token_rejection{"bad signature, algorithm or key"};
  // Only now, with the signature good, are the claims worth parsing.
  auto claims = nlohmann::json::parse(jws->payload, nullptr, false);
  if (!claims.is_object())
    return token_rejection{"claims are not a JSON object"};

  auto exp = time_of(claims, "exp");
  auto iat = time_of(claims, "iat");
  auto nbf = time_of(claims, "nbf");
  if (!exp.valid || !iat.valid || !nbf.valid)
    return token_rejection{"a time claim is not a whole number of seconds"};
  // Claims are any 64-bit numbers the signer chose, so each comparison keeps
  // the arithmetic on the side of now_s, the only value known to be small.
  auto leeway = settings_.leeway.count();
  if (!exp.present || exp.value <= now_s - leeway)
    return token_rejection{"expired"};
  // An iat in the future would let exp - iat look short on a token that
  // lives for years.
  if (!iat.present || iat.value > now_s + leeway)
    return token_rejection{"issued in the future"};
  if (iat.value < exp.value - settings_.max_lifetime.count())
    return token_rejection{"lifetime longer than this service issues"};
  if (nbf.present && nbf.value > now_s + leeway)
    return token_rejection{"not yet valid"};
  const auto* iss = string_of(claims, "iss");
  if (!iss || *iss != settings_.issuer)
    return token_rejection{"wrong issuer"};
  if (!audience_matches(claims, settings_.audience))
    return token_rejection{"wrong audience"};
  const auto* sub = string_of(claims, "sub");
  const auto* jti = string_of(claims, "jti");
  if (!sub || sub->empty() || !jti || jti->empty())
    return token_rejection{"missing sub or jti"};
  // A sid that is not a string would read as "no session", which only
  // client-credentials tokens may be.
  const auto* sid = string_of(claims, "sid");
  if (claims.contains("sid") && (!sid || sid->empty()))
    return token_rejection{"malformed sid"};

  access_claims out;
  out.subject = *sub;
  out.token_id = *jti;
  if (sid)
    out.session_id = *sid;
  out.expires_at_s = exp.value;
  out.issued_at_s = iat.value;
  if (auto roles = claims.find("roles"); roles != claims.end() && roles->is_array())
    for (const auto& r : *roles)
      if (r.is_string())
        out.roles.push_back(r.get<std::string>());
  if (const auto* scope = string_of(claims, "scope")) {
    std::istringstream in{*scope};
    for (std::string s; in >> s;)
      out.scopes.push_back(s);
  }
  return out;
}

}  // namespace taskflow::runtime
