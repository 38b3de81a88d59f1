// Password hashing, secret tokens and access tokens: what the edge's security
// rests on, tested without a server.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <variant>

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <nlohmann/json.hpp>

#include "runtime/codec/base64url.hpp"
#include "runtime/codec/sha256.hpp"
#include "runtime/identity/access_token.hpp"
#include "runtime/identity/key_wrap.hpp"
#include "runtime/identity/password_hasher.hpp"
#include "runtime/identity/revocation_set.hpp"
#include "runtime/identity/secret_tokens.hpp"
#include "runtime/identity/signing_keyring.hpp"
#include "tests/unit/support/key_store.hpp"

using namespace taskflow;
using namespace taskflow::runtime;
using taskflow::testing::key_store;

namespace {

access_claims sample_claims(std::int64_t now_s) {
  access_claims c;
  c.subject = "u-1";
  c.session_id = "s-1";
  c.token_id = "t-1";
  c.roles = {"user"};
  c.scopes = {"tasks:read", "tasks:write"};
  c.issued_at_s = now_s;
  c.expires_at_s = now_s + 900;
  return c;
}

// sample_claims as a token body, written as issue() writes it.
std::string sample_claims_json(std::int64_t now_s) {
  return nlohmann::json{{"sub", "u-1"},
                        {"sid", "s-1"},
                        {"jti", "t-1"},
                        {"roles", nlohmann::json::array({"user"})},
                        {"scope", "tasks:read tasks:write"},
                        {"iat", now_s},
                        {"nbf", now_s},
                        {"exp", now_s + 900},
                        {"iss", "taskflow"},
                        {"aud", "taskflow-api"}}
      .dump();
}

// A token with exactly these claims, signed by libjwt with `key` (a PEM, or
// the secret of an HMAC alg): what someone holding a signing key could mint,
// beyond what access_token_codec::issue writes, from an implementation that
// is not ours.
std::string libjwt_signed(const std::string& key, const std::string& claims, jwt_alg_t alg = JWT_ALG_ES256) {
  jwt_t* raw = nullptr;
  REQUIRE(jwt_new(&raw) == 0);
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt{raw, &jwt_free};
  REQUIRE(jwt_add_grants_json(jwt.get(), claims.c_str()) == 0);
  REQUIRE(jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(key.data()),
                      static_cast<int>(key.size())) == 0);
  char* token = jwt_encode_str(jwt.get());
  REQUIRE(token);
  std::string out{token};
  std::free(token);
  return out;
}

std::string signed_claims(const signing_key& key, const std::string& claims) {
  return libjwt_signed(key.private_pem, claims, key.algorithm == "ES256" ? JWT_ALG_ES256 : JWT_ALG_RS256);
}

// Whether libjwt, checking with the key's public PEM, accepts `token`.
bool libjwt_accepts(const signing_key& key, const std::string& token) {
  jwt_t* raw = nullptr;
  int failed = jwt_decode(&raw, token.c_str(), reinterpret_cast<const unsigned char*>(key.public_pem.data()),
                          static_cast<int>(key.public_pem.size()));
  jwt_free(raw);
  return failed == 0;
}

// A keyring holding one fresh RSA key, loaded the way --jwt-private-key-file is.
std::shared_ptr<const signing_keyring> rsa_keyring() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{
      EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048)), &EVP_PKEY_free};
  REQUIRE(key);
  auto file = std::filesystem::temp_directory_path() / ("taskflow-rsa-" + random_token(8) + ".pem");
  {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new(BIO_s_mem()), &BIO_free};
    PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    auto size = BIO_get_mem_data(bio.get(), &data);
    std::ofstream{file}.write(data, size);
  }
  auto keys = signing_keyring::from_pem_file(file);
  std::filesystem::remove(file);
  REQUIRE(keys);
  return *keys;
}

// `json` as a token part.
std::string part(const nlohmann::json& json) {
  return base64url_encode(json.dump());
}

}  // namespace

TEST_CASE("Argon2id hashes verify the right password only", "[unit][identity]") {
  password_hasher hasher{{1, 1024, 1}};  // cheap parameters: this tests behaviour, not cost
  auto hash = hasher.hash("correct horse battery");
  REQUIRE(hash);
  CHECK(hash->rfind("$argon2id$", 0) == 0);
  CHECK(hasher.verify("correct horse battery", *hash));
  CHECK_FALSE(hasher.verify("correct horse batterY", *hash));
  CHECK_FALSE(hasher.verify("anything", "not a hash"));
  CHECK(*hasher.hash("same") != *hasher.hash("same"));  // salted
}

TEST_CASE("secret tokens, hashes and comparisons", "[unit][identity]") {
  CHECK(random_token(32).size() == 43);
  CHECK(random_token() != random_token());
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(base64url_encode("\xfb\xff") == "-_8");
  CHECK(base64_decode("Zm9vOmJhcg==") == std::optional<std::string>{"foo:bar"});
  CHECK_FALSE(base64_decode("Zm9v!mJh"));
  // Found by tests/fuzz/basic_credentials_fuzz.cpp: OpenSSL skips whitespace
  // around the text, which made whitespace decode to nothing and padding
  // followed by whitespace decode to trailing NULs.
  CHECK_FALSE(base64_decode("\t\t\t\t"));
  CHECK_FALSE(base64_decode("YQ==\t\t\t\t"));
  CHECK_FALSE(base64_decode("  YWJj  "));
  CHECK_FALSE(base64_decode("===="));
  CHECK_FALSE(base64_decode("Y==="));
  CHECK(base64_decode("YQ==") == std::optional<std::string>{"a"});
  CHECK(base64_decode("YWI=") == std::optional<std::string>{"ab"});
  CHECK(constant_time_equal("abc", "abc"));
  CHECK_FALSE(constant_time_equal("abc", "abd"));
  CHECK_FALSE(constant_time_equal("abc", "abcd"));
}

TEST_CASE("the keyring makes one key, reuses it and rotates by age", "[unit][identity]") {
  key_store store;
  auto first = signing_keyring::from_store(store, 1'000, std::chrono::hours{1});
  REQUIRE(first);
  CHECK((*first)->current().algorithm == "ES256");
  auto again = signing_keyring::from_store(store, 2'000, std::chrono::hours{1});
  REQUIRE(again);
  CHECK((*again)->current().kid == (*first)->current().kid);
  auto later = signing_keyring::from_store(store, 1'000 + 3'600'001, std::chrono::hours{1});
  REQUIRE(later);
  CHECK((*later)->keys().size() == 2);
  CHECK((*later)->current().kid != (*first)->current().kid);
  CHECK((*later)->jwks_json().find((*first)->current().kid) != std::string::npos);
}

TEST_CASE("a key-encryption key seals what it is given and opens only its own seals", "[unit][identity]") {
  auto kek = key_wrap::from_secret("0123456789abcdef0123456789abcdef-kek");
  auto sealed = kek.seal("-----BEGIN PRIVATE KEY-----");
  CHECK(key_wrap::is_sealed(sealed));
  CHECK(sealed.find("PRIVATE") == std::string::npos);
  CHECK(kek.seal("same text") != kek.seal("same text"));  // a fresh nonce each time
  auto opened = kek.open(sealed);
  REQUIRE(opened);
  CHECK(*opened == "-----BEGIN PRIVATE KEY-----");
  CHECK_FALSE(key_wrap::from_secret("another secret of more than 32 bytes").open(sealed));
  auto flipped = sealed;
  flipped[sealed.size() / 2] = flipped[sealed.size() / 2] == 'A' ? 'B' : 'A';
  CHECK_FALSE(kek.open(flipped));
  CHECK_FALSE(kek.open("kw1.AAAA"));
  CHECK_FALSE(kek.open("-----BEGIN PRIVATE KEY-----"));
}

TEST_CASE("with a key-encryption key the store holds the signing key sealed", "[unit][identity]") {
  key_store store;
  auto kek = key_wrap::from_secret("0123456789abcdef0123456789abcdef-kek");
  auto sealed = signing_keyring::from_store(store, 1'000, std::chrono::hours{1}, &kek);
  REQUIRE(sealed);
  REQUIRE(store.keys.size() == 1);
  CHECK(key_wrap::is_sealed(store.keys[0].private_pem));
  CHECK(store.keys[0].private_pem.find("PRIVATE KEY") == std::string::npos);
  auto again = signing_keyring::from_store(store, 2'000, std::chrono::hours{1}, &kek);
  REQUIRE(again);
  CHECK((*again)->current().kid == (*sealed)->current().kid);
  // Without the KEK, or with another, the node does not start on them.
  CHECK_FALSE(signing_keyring::from_store(store, 2'000, std::chrono::hours{1}));
  auto other = key_wrap::from_secret("a different secret, also 32 bytes long");
  CHECK_FALSE(signing_keyring::from_store(store, 2'000, std::chrono::hours{1}, &other));
}

TEST_CASE("keys stored in clear still load once a key-encryption key is given", "[unit][identity]") {
  key_store store;
  auto plain = signing_keyring::from_store(store, 1'000, std::chrono::hours{1});
  REQUIRE(plain);
  auto kek = key_wrap::from_secret("0123456789abcdef0123456789abcdef-kek");
  auto later = signing_keyring::from_store(store, 2'000, std::chrono::hours{1}, &kek);
  REQUIRE(later);
  CHECK((*later)->current().kid == (*plain)->current().kid);
}

TEST_CASE("access tokens verify, and every tampering is refused", "[unit][identity]") {
  key_store store;
  auto keys = signing_keyring::from_store(store, 0, std::chrono::hours{1});
  REQUIRE(keys);
  access_token_codec codec{*keys, {}};
  auto token = codec.issue(sample_claims(1'000'000));
  REQUIRE(token);
  auto ok = codec.verify(*token, 1'000'100);
  REQUIRE(std::holds_alternative<access_claims>(ok));
  auto& claims = std::get<access_claims>(ok);
  CHECK(claims.subject == "u-1");
  CHECK(claims.session_id == "s-1");
  CHECK(claims.scopes == std::vector<std::string>{"tasks:read", "tasks:write"});

  CHECK(std::holds_alternative<token_rejection>(codec.verify(*token, 1'000'000 + 900 + 31)));  // expired
  CHECK(std::holds_alternative<token_rejection>(codec.verify(*token, 1'000'000 - 31)));        // not yet valid
  auto flipped = *token;
  flipped[flipped.size() / 2] = flipped[flipped.size() / 2] == 'A' ? 'B' : 'A';
  CHECK(std::holds_alternative<token_rejection>(codec.verify(flipped, 1'000'100)));
  CHECK(std::holds_alternative<token_rejection>(codec.verify("a.b.c", 1'000'100)));
  CHECK(std::holds_alternative<token_rejection>(codec.verify(std::string{"x\0y", 3}, 1'000'100)));

  access_token_codec other_audience{*keys, {"taskflow", "someone-else", std::chrono::seconds{30}}};
  CHECK(std::holds_alternative<token_rejection>(other_audience.verify(*token, 1'000'100)));
  access_token_codec other_issuer{*keys, {"not-us", "taskflow-api", std::chrono::seconds{30}}};
  CHECK(std::holds_alternative<token_rejection>(other_issuer.verify(*token, 1'000'100)));

  auto long_lived = sample_claims(1'000'000);
  long_lived.expires_at_s = 1'000'000 + 901;
  auto too_long = codec.issue(long_lived);
  REQUIRE(too_long);
  CHECK(std::holds_alternative<token_rejection>(codec.verify(*too_long, 1'000'100)));
  access_token_codec day_long{*keys, {"taskflow", "taskflow-api", std::chrono::seconds{30}, std::chrono::hours{24}}};
  CHECK(std::holds_alternative<access_claims>(day_long.verify(*too_long, 1'000'100)));

  key_store elsewhere;
  auto foreign_keys = signing_keyring::from_store(elsewhere, 0, std::chrono::hours{1});
  access_token_codec foreign{*foreign_keys, {}};
  CHECK(std::holds_alternative<token_rejection>(foreign.verify(*token, 1'000'100)));
}

// Found by tests/fuzz/access_token_fuzz.cpp: exp + leeway overflowed on an
// exp near 2^63 (undefined behaviour), and an iat in the future made a token
// valid for centuries look 10 minutes long.
TEST_CASE("access tokens with extreme or future times are refused", "[unit][identity]") {
  key_store store;
  auto keys = signing_keyring::from_store(store, 0, std::chrono::hours{1});
  REQUIRE(keys);
  access_token_codec codec{*keys, {}};
  const auto& key = (*keys)->current();
  constexpr std::int64_t now = 1'800'000'000;
  const std::string who = R"("sub": "u-1", "jti": "t-1", "iss": "taskflow", "aud": "taskflow-api")";
  auto verify = [&](const std::string& times) {
    return codec.verify(signed_claims(key, "{" + who + ", " + times + "}"), now);
  };

  auto max = std::to_string(std::numeric_limits<std::int64_t>::max());
  auto min = std::to_string(std::numeric_limits<std::int64_t>::min());
  CHECK(std::holds_alternative<token_rejection>(verify(R"("iat": )" + min + R"(, "exp": )" + max)));
  CHECK(std::holds_alternative<token_rejection>(verify(R"("iat": )" + max + R"(, "exp": )" + max)));
  CHECK(std::holds_alternative<token_rejection>(verify(R"("iat": 1799999990, "exp": )" + min)));
  CHECK(std::holds_alternative<access_claims>(verify(R"("iat": 1799999990, "exp": 1800000800, "nbf": )" + min)));
  CHECK(std::holds_alternative<token_rejection>(verify(R"("iat": 1800000000, "exp": 1800000800, "nbf": )" + max)));

  // Issued in the year 3000 for 10 minutes: short by exp - iat, but alive until then.
  auto year_3000 = verify(R"("iat": 32503680000, "exp": 32503680600)");
  REQUIRE(std::holds_alternative<token_rejection>(year_3000));
  CHECK(std::get<token_rejection>(year_3000).reason == "issued in the future");
  CHECK(std::holds_alternative<access_claims>(verify(R"("iat": 1800000020, "exp": 1800000600)")));  // within leeway
}

TEST_CASE("our tokens and libjwt's verify each other, for ES256 and RS256 keys", "[unit][identity]") {
  key_store store;
  auto es = signing_keyring::from_store(store, 0, std::chrono::hours{1});
  REQUIRE(es);
  for (const auto& keys : {std::shared_ptr<const signing_keyring>{*es}, rsa_keyring()}) {
    const auto& key = keys->current();
    INFO(key.algorithm);
    access_token_codec codec{keys, {}};
    auto token = codec.issue(sample_claims(1'000'000));
    REQUIRE(token);
    CHECK(libjwt_accepts(key, *token));
    auto header = nlohmann::json::parse(*base64url_decode(token->substr(0, token->find('.'))));
    CHECK(header == nlohmann::json{{"alg", key.algorithm}, {"kid", key.kid}, {"typ", "JWT"}});

    auto theirs = signed_claims(key, sample_claims_json(1'000'000));
    auto verified = codec.verify(theirs, 1'000'100);
    REQUIRE(std::holds_alternative<access_claims>(verified));
    CHECK(std::get<access_claims>(verified).scopes == std::vector<std::string>{"tasks:read", "tasks:write"});
  }
  CHECK((*es)->current().algorithm == "ES256");
}
TEST_CASE("a token is refused for its header, its encoding or the types of its claims", "[unit][identity]") {
  key_store store;
  auto keys = signing_keyring::from_store(store, 0, std::chrono::hours{1});
  REQUIRE(keys);
  const auto& key = (*keys)->current();
  access_token_codec codec{*keys, {}};
  auto accepted = [&](const std::string& token) {
    return std::holds_alternative<access_claims>(codec.verify(token, 1'000'100));
  };
  auto good = codec.issue(sample_claims(1'000'000));
  REQUIRE(good);
  REQUIRE(accepted(*good));
  auto first_dot = good->find('.');
  auto last_dot = good->rfind('.');
  auto payload = good->substr(first_dot + 1, last_dot - first_dot - 1);
  auto signature = good->substr(last_dot + 1);

  // The algorithm is the key's, whatever the header says.
  CHECK_FALSE(accepted(part({{"alg", "none"}}) + "." + payload + "."));
  CHECK_FALSE(accepted(part({{"alg", "none"}}) + "." + payload + "." + signature));
  CHECK_FALSE(accepted(libjwt_signed(key.public_pem, sample_claims_json(1'000'000), JWT_ALG_HS256)));
  CHECK_FALSE(accepted(part({{"alg", "RS256"}, {"kid", key.kid}}) + "." + payload + "." + signature));
  // The signature covers the header as sent.
  CHECK_FALSE(accepted(part({{"alg", "ES256"}, {"kid", key.kid}}) + "." + payload + "." + signature));
  // A kid names one of our keys or none; without one, each key is tried.
  CHECK_FALSE(accepted(*key.jws.sign({{"kid", "someone-else"}}, sample_claims_json(1'000'000))));
  CHECK_FALSE(accepted(*key.jws.sign({{"kid", 7}}, sample_claims_json(1'000'000))));
  CHECK(accepted(*key.jws.sign(nlohmann::json::object(), sample_claims_json(1'000'000))));
  // An extension marked critical that we do not implement (RFC 7515 §4.1.11).
  CHECK_FALSE(
      accepted(*key.jws.sign({{"crit", nlohmann::json::array({"exp"})}, {"exp", 1}}, sample_claims_json(1'000'000))));

  // One spelling per token: no padding, whitespace, other alphabets or parts.
  CHECK_FALSE(accepted(*good + "."));
  CHECK_FALSE(accepted(*good + "=="));
  CHECK_FALSE(accepted(" " + *good));
  CHECK_FALSE(accepted(good->substr(0, first_dot) + "=." + good->substr(first_dot + 1)));
  CHECK_FALSE(accepted(good->substr(0, last_dot) + "." + signature.substr(0, 84)));  // 63 bytes, not 64
  CHECK_FALSE(accepted(good->substr(0, last_dot) + ".." + signature));

  // Claims, under a good signature, of the types we issue or refused.
  auto with = [&](const nlohmann::json& patch) {
    auto claims = nlohmann::json::parse(sample_claims_json(1'000'000));
    claims.merge_patch(patch);
    return accepted(*key.jws.sign({{"kid", key.kid}}, claims.dump()));
  };
  CHECK(with({{"aud", nlohmann::json::array({"elsewhere", "taskflow-api"})}}));
  CHECK_FALSE(with({{"aud", nlohmann::json::array({"elsewhere"})}}));
  CHECK_FALSE(with({{"aud", 5}}));
  CHECK_FALSE(with({{"exp", "1000900"}}));
  CHECK_FALSE(with({{"exp", 1000900.5}}));
  CHECK_FALSE(with({{"exp", std::numeric_limits<std::uint64_t>::max()}}));
  CHECK_FALSE(with({{"iat", nullptr}}));
  CHECK_FALSE(with({{"nbf", "soon"}}));
  CHECK(with({{"nbf", nullptr}}));
  CHECK_FALSE(with({{"sid", 7}}));
  CHECK_FALSE(with({{"sid", ""}}));
  CHECK(with({{"sid", nullptr}}));  // a client-credentials token
  CHECK_FALSE(with({{"sub", nlohmann::json::array({"u-1"})}}));
  CHECK_FALSE(with({{"jti", ""}}));
  CHECK_FALSE(with({{"iss", nullptr}}));
  CHECK_FALSE(key.jws.sign(nlohmann::json::array(), "{}"));
  CHECK_FALSE(accepted(*key.jws.sign({{"kid", key.kid}}, "[]")));
  CHECK_FALSE(accepted(*key.jws.sign({{"kid", key.kid}}, "{\"sub\": ")));
}

TEST_CASE("the revocation set forgets what can no longer matter", "[unit][identity]") {
  revocation_set set;
  set.revoke("s-1", 2'000);
  CHECK(set.is_revoked("s-1", 1'999));
  CHECK_FALSE(set.is_revoked("s-1", 2'000));
  CHECK_FALSE(set.is_revoked("s-2", 0));
  set.prune(2'000);
  CHECK(set.size() == 0);
}
