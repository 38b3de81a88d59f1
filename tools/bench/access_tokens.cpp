// What signing and verifying an access token costs, beside libjwt doing the
// same with the same key: the codec keeps the key parsed, libjwt decodes its
// PEM on every call. One key, made fresh; one thread; no HTTP.
//
//   bench_access_tokens [N=2000] [ALG=ES256|RS256]
//
// Prints one line of JSON: microseconds per sign and per verify, each way.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <variant>

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "runtime/identity/access_token.hpp"
#include "runtime/identity/signing_keyring.hpp"

namespace runtime = taskflow::runtime;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "bench_access_tokens: %s\n", what);
  std::exit(1);
}

std::shared_ptr<const runtime::signing_keyring> fresh_keyring(const std::string& algorithm) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{
      algorithm == "RS256" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(2048))
                           : EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"),
      &EVP_PKEY_free};
  auto file = std::filesystem::temp_directory_path() / ("bench-access-tokens-" + std::to_string(getpid()) + ".pem");
  {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new_file(file.c_str(), "w"), &BIO_free};
    if (!key || !bio || PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
      fail("cannot write a fresh key");
  }
  auto keys = runtime::signing_keyring::from_pem_file(file);
  std::filesystem::remove(file);
  if (!keys)
    fail("cannot load the fresh key");
  return *keys;
}

template <class F>
double microseconds_each(int n, F&& f) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i)
    f(i);
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / n;
}

std::string libjwt_sign(const runtime::signing_key& key, jwt_alg_t alg, std::int64_t now_s) {
  jwt_t* raw = nullptr;
  jwt_new(&raw);
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt{raw, &jwt_free};
  jwt_add_grant(jwt.get(), "sub", "u-1");
  jwt_add_grant_int(jwt.get(), "iat", now_s);
  jwt_add_grant_int(jwt.get(), "exp", now_s + 900);
  if (jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(key.private_pem.data()),
                  static_cast<int>(key.private_pem.size())) != 0)
    fail("libjwt does not take the key");
  std::unique_ptr<char, decltype(&std::free)> token{jwt_encode_str(jwt.get()), &std::free};
  if (!token)
    fail("libjwt cannot sign");
  return token.get();
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 2000;
  const std::string algorithm = argc > 2 ? argv[2] : "ES256";
  if (n <= 0 || (algorithm != "ES256" && algorithm != "RS256"))
    fail("usage: bench_access_tokens [N>0] [ES256|RS256]");
  auto keys = fresh_keyring(algorithm);
  const auto& key = keys->current();
  runtime::access_token_codec codec{keys, {}};
  constexpr std::int64_t now_s = 1'800'000'000;

  runtime::access_claims claims{"u-1", "s-1", "t-1", {"user"}, {"tasks:read", "tasks:write"}, now_s, now_s + 900};
  std::string ours;
  double ours_sign = microseconds_each(n, [&](int i) {
    claims.token_id = "t-" + std::to_string(i);
    auto token = codec.issue(claims);
    if (!token)
      fail("the codec cannot sign");
    ours = std::move(*token);
  });
  double ours_verify = microseconds_each(n, [&](int i) {
    if (!std::holds_alternative<runtime::access_claims>(codec.verify(ours, now_s + i % 60)))
      fail("the codec refuses its own token");
  });

  const auto alg = algorithm == "ES256" ? JWT_ALG_ES256 : JWT_ALG_RS256;
  std::string theirs;
  double libjwt_sign_us = microseconds_each(n, [&](int i) { theirs = libjwt_sign(key, alg, now_s + i); });
  double libjwt_verify_us = microseconds_each(n, [&](int) {
    jwt_t* raw = nullptr;
    if (jwt_decode(&raw, theirs.c_str(), reinterpret_cast<const unsigned char*>(key.public_pem.data()),
                   static_cast<int>(key.public_pem.size())) != 0)
      fail("libjwt refuses its own token");
    jwt_free(raw);
  });

  std::printf(
      "{\"algorithm\": \"%s\", \"n\": %d, \"codec_sign_us\": %.1f, \"codec_verify_us\": %.1f, "
      "\"libjwt_sign_us\": %.1f, \"libjwt_verify_us\": %.1f}\n",
      algorithm.c_str(), n, ours_sign, ours_verify, libjwt_sign_us, libjwt_verify_us);
}
