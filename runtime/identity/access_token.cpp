#include "runtime/identity/access_token.hpp"

#include <cerrno>
#include <cstdlib>
#include <sstream>

#include <jwt.h>
#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

namespace taskflow::runtime {
namespace {

struct jwt_deleter {
  void operator()(jwt_t* j) const { jwt_free(j); }
};
using jwt_ptr = std::unique_ptr<jwt_t, jwt_deleter>;

// JSON strings libjwt hands out are malloc'ed.
std::string take_string(char* raw) {
  if (!raw)
    return {};
  std::string out{raw};
  std::free(raw);
  return out;
}

jwt_alg_t algorithm_of(const signing_key& key) {
  return key.algorithm == "ES256" ? JWT_ALG_ES256 : JWT_ALG_RS256;
}

std::string join(const std::vector<std::string>& xs) {
  std::string out;
  for (const auto& x : xs)
    out += (out.empty() ? "" : " ") + x;
  return out;
}

bool audience_matches(jwt_t* jwt, const std::string& audience) {
  if (const char* aud = jwt_get_grant(jwt, "aud"))
    return audience == aud;
  auto json = nlohmann::json::parse(take_string(jwt_get_grants_json(jwt, "aud")), nullptr, false);
  if (!json.is_array())
    return false;
  for (const auto& a : json)
    if (a.is_string() && a.get<std::string>() == audience)
      return true;
  return false;
}

}  // namespace

caf::expected<std::string> access_token_codec::issue(const access_claims& claims) const {
  const auto& key = keys_->current();
  jwt_t* raw = nullptr;
  if (jwt_new(&raw) != 0)
    return caf::make_error(caf::sec::runtime_error, "jwt_new failed");
  jwt_ptr jwt{raw};
  nlohmann::json body{{"sub", claims.subject},        {"jti", claims.token_id},    {"roles", claims.roles},
                      {"scope", join(claims.scopes)}, {"iat", claims.issued_at_s}, {"nbf", claims.issued_at_s},
                      {"exp", claims.expires_at_s},   {"iss", settings_.issuer},   {"aud", settings_.audience}};
  if (!claims.session_id.empty())
    body["sid"] = claims.session_id;
  if (jwt_add_grants_json(jwt.get(), body.dump().c_str()) != 0 || jwt_add_header(jwt.get(), "kid", key.kid.c_str()) ||
      jwt_set_alg(jwt.get(), algorithm_of(key), reinterpret_cast<const unsigned char*>(key.private_pem.data()),
                  static_cast<int>(key.private_pem.size())) != 0)
    return caf::make_error(caf::sec::runtime_error, "cannot build the access token");
  auto token = take_string(jwt_encode_str(jwt.get()));
  if (token.empty())
    return caf::make_error(caf::sec::runtime_error, "cannot sign the access token");
  return token;
}

std::variant<access_claims, token_rejection> access_token_codec::verify(std::string_view token,
                                                                        std::int64_t now_s) const {
  // libjwt wants a C string; a NUL inside the token would truncate it.
  if (token.empty() || token.size() > 8192 || token.find('\0') != std::string_view::npos)
    return token_rejection{"malformed"};
  std::string text{token};
  jwt_ptr jwt;
  for (const auto& key : keys_->keys()) {
    jwt_t* raw = nullptr;
    // libjwt verifies the signature with this key under the token's own
    // "alg"; the check below makes sure that alg is the key's.
    if (jwt_decode(&raw, text.c_str(), reinterpret_cast<const unsigned char*>(key.public_pem.data()),
                   static_cast<int>(key.public_pem.size())) == 0) {
      jwt_ptr candidate{raw};
      if (jwt_get_alg(candidate.get()) == algorithm_of(key)) {
        jwt = std::move(candidate);
        break;
      }
    }
  }
  if (!jwt)
    return token_rejection{"bad signature, algorithm or encoding"};

  // Claims are any 64-bit numbers the signer chose, so each comparison keeps
  // the arithmetic on the side of now_s, the only value known to be small.
  auto leeway = static_cast<long>(settings_.leeway.count());
  // libjwt reports a missing claim through errno alone.
  errno = 0;
  long exp = jwt_get_grant_int(jwt.get(), "exp");
  if (errno == ENOENT || exp <= now_s - leeway)
    return token_rejection{"expired"};
  errno = 0;
  long iat = jwt_get_grant_int(jwt.get(), "iat");
  // An iat in the future would let exp - iat look short on a token that
  // lives for years.
  if (errno == ENOENT || iat > now_s + leeway)
    return token_rejection{"issued in the future"};
  if (iat < exp - static_cast<long>(settings_.max_lifetime.count()))
    return token_rejection{"lifetime longer than this service issues"};
  errno = 0;
  long nbf = jwt_get_grant_int(jwt.get(), "nbf");
  if (errno != ENOENT && nbf > now_s + leeway)
    return token_rejection{"not yet valid"};
  const char* iss = jwt_get_grant(jwt.get(), "iss");
  if (!iss || settings_.issuer != iss)
    return token_rejection{"wrong issuer"};
  if (!audience_matches(jwt.get(), settings_.audience))
    return token_rejection{"wrong audience"};
  const char* sub = jwt_get_grant(jwt.get(), "sub");
  const char* jti = jwt_get_grant(jwt.get(), "jti");
  if (!sub || !*sub || !jti || !*jti)
    return token_rejection{"missing sub or jti"};

  access_claims claims;
  claims.subject = sub;
  claims.token_id = jti;
  if (const char* sid = jwt_get_grant(jwt.get(), "sid"))
    claims.session_id = sid;
  claims.expires_at_s = exp;
  claims.issued_at_s = iat;
  auto roles = nlohmann::json::parse(take_string(jwt_get_grants_json(jwt.get(), "roles")), nullptr, false);
  if (roles.is_array())
    for (const auto& r : roles)
      if (r.is_string())
        claims.roles.push_back(r.get<std::string>());
  if (const char* scope = jwt_get_grant(jwt.get(), "scope")) {
    std::istringstream in{scope};
    for (std::string s; in >> s;)
      claims.scopes.push_back(s);
  }
  return claims;
}

}  // namespace taskflow::runtime
