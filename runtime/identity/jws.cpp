#include "runtime/identity/jws.hpp"

#include <array>
#include <vector>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <caf/sec.hpp>

#include "runtime/codec/base64url.hpp"

namespace taskflow::runtime {
namespace {

struct md_ctx_deleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct ecdsa_sig_deleter {
  void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;
using ecdsa_sig_ptr = std::unique_ptr<ECDSA_SIG, ecdsa_sig_deleter>;

// RFC 7518 §3.4: an ES256 signature is r and s as 32 big-endian bytes each.
constexpr int es256_half = 32;

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// OpenSSL signs and verifies ECDSA in DER (X9.62); JWS carries r || s.
std::optional<std::string> es256_from_der(const unsigned char* der, std::size_t size) {
  const unsigned char* in = der;
  ecdsa_sig_ptr sig{d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(size))};
  if (!sig)
    return std::nullopt;
  std::string out(2 * static_cast<std::size_t>(es256_half), '\0');
  auto* raw = reinterpret_cast<unsigned char*>(out.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), raw, es256_half) != es256_half ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), raw + es256_half, es256_half) != es256_half)
    return std::nullopt;
  return out;
}

std::optional<std::vector<unsigned char>> der_from_es256(std::string_view raw) {
  if (raw.size() != 2 * static_cast<std::size_t>(es256_half))
    return std::nullopt;
  ecdsa_sig_ptr sig{ECDSA_SIG_new()};
  BIGNUM* r = BN_bin2bn(bytes_of(raw), es256_half, nullptr);
  BIGNUM* s = BN_bin2bn(bytes_of(raw) + es256_half, es256_half, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    return std::nullopt;
  }
  unsigned char* der = nullptr;
  int size = i2d_ECDSA_SIG(sig.get(), &der);
  if (size <= 0)
    return std::nullopt;
  std::vector<unsigned char> out(der, der + size);
  OPENSSL_free(der);
  return out;
}

caf::error sign_error(const char* what) {
  return caf::make_error(caf::sec::runtime_error, std::string{"JWS: "} + what);
}

}  // namespace

caf::expected<jws_key> jws_key::from(std::shared_ptr<EVP_PKEY> key) {
  if (!key)
    return caf::make_error(caf::sec::invalid_argument, "JWS: no key");
  if (EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_RSA)
    return jws_key{std::move(key), "RS256"};
  std::array<char, 64> group{};
  std::size_t length = 0;
  if (EVP_PKEY_get_base_id(key.get()) == EVP_PKEY_EC &&
      EVP_PKEY_get_utf8_string_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME, group.data(), group.size(), &length) == 1 &&
      std::string_view{group.data(), length} == "prime256v1")
    return jws_key{std::move(key), "ES256"};
  return caf::make_error(caf::sec::invalid_argument, "JWS: only EC P-256 and RSA keys are supported");
}

caf::expected<std::string> jws_key::sign(nlohmann::json header, std::string_view payload) const {
  if (!header.is_object())
    return caf::make_error(caf::sec::invalid_argument, "JWS: a header is a JSON object");
  header["alg"] = algorithm_;
  auto input = base64url_encode(header.dump()) + '.' + base64url_encode(payload);
  md_ctx_ptr ctx{EVP_MD_CTX_new()};
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, bytes_of(input), input.size()) != 1)
    return sign_error("cannot start a signature");
  std::vector<unsigned char> signature(size);
  if (EVP_DigestSign(ctx.get(), signature.data(), &size, bytes_of(input), input.size()) != 1)
    return sign_error("cannot sign");
  std::string wire;
  if (algorithm_ == "ES256") {
    auto raw = es256_from_der(signature.data(), size);
    if (!raw)
      return sign_error("OpenSSL returned an ECDSA signature that does not parse");
    wire = std::move(*raw);
  } else {
    wire.assign(reinterpret_cast<const char*>(signature.data()), size);
  }
  return input + '.' + base64url_encode(wire);
}

bool jws_key::verifies(std::string_view signing_input, std::string_view signature) const {
  std::vector<unsigned char> der;
  std::string_view checked = signature;
  if (algorithm_ == "ES256") {
    auto converted = der_from_es256(signature);
    if (!converted)
      return false;
    der = std::move(*converted);
    checked = {reinterpret_cast<const char*>(der.data()), der.size()};
  }
  md_ctx_ptr ctx{EVP_MD_CTX_new()};
  return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), bytes_of(checked), checked.size(), bytes_of(signing_input),
                          signing_input.size()) == 1;
}

std::optional<compact_jws> split_compact_jws(std::string_view token) {
  auto first = token.find('.');
  if (first == std::string_view::npos)
    return std::nullopt;
  auto second = token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos)
    return std::nullopt;
  auto header_text = base64url_decode(token.substr(0, first));
  auto payload = base64url_decode(token.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(token.substr(second + 1));
  if (!header_text || !payload || !signature)
    return std::nullopt;
  auto header = nlohmann::json::parse(*header_text, nullptr, false);
  if (!header.is_object() || !header.contains("alg") || !header["alg"].is_string() || header.contains("crit"))
    return std::nullopt;
  return compact_jws{std::move(header), token.substr(0, second), std::move(*payload), std::move(*signature)};
}

}  // namespace taskflow::runtime
