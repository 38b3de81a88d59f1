#include "runtime/identity/signing_keyring.hpp"

#include <fstream>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <caf/sec.hpp>
#include <nlohmann/json.hpp>

#include "runtime/codec/base64url.hpp"
#include "runtime/codec/sha256.hpp"

namespace taskflow::runtime {
namespace {

struct pkey_deleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct bio_deleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct bn_deleter {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_deleter>;
using bio_ptr = std::unique_ptr<BIO, bio_deleter>;
using bn_ptr = std::unique_ptr<BIGNUM, bn_deleter>;

caf::error key_error(const std::string& what) {
  return caf::make_error(caf::sec::invalid_argument, "signing key: " + what);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  auto size = BIO_get_mem_data(bio, &data);
  return {data, static_cast<std::size_t>(size)};
}

std::string pem_of(EVP_PKEY* key, bool private_part) {
  bio_ptr bio{BIO_new(BIO_s_mem())};
  if (private_part)
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  else
    PEM_write_bio_PUBKEY(bio.get(), key);
  return bio_text(bio.get());
}

std::optional<std::string> bn_param(EVP_PKEY* key, const char* name, int pad_to = 0) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1)
    return std::nullopt;
  bn_ptr bn{raw};
  auto size = pad_to > 0 ? pad_to : BN_num_bytes(bn.get());
  std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
  BN_bn2binpad(bn.get(), bytes.data(), size);
  return base64url_encode({reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

// The JWK members in RFC 7638's lexicographic order, which is also the
// input of the thumbprint.
caf::expected<nlohmann::ordered_json> public_jwk(EVP_PKEY* key) {
  nlohmann::ordered_json jwk;
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
    char group[64] = {};
    std::size_t length = 0;
    EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &length);
    if (std::string{group} != "prime256v1")
      return key_error("only the P-256 curve (ES256) is supported, not " + std::string{group});
    auto x = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, 32);
    auto y = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, 32);
    if (!x || !y)
      return key_error("cannot read the EC public point");
    jwk = {{"crv", "P-256"}, {"kty", "EC"}, {"x", *x}, {"y", *y}};
  } else if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
    if (EVP_PKEY_get_bits(key) < 2048)
      return key_error("RSA keys must have at least 2048 bits");
    auto e = bn_param(key, OSSL_PKEY_PARAM_RSA_E);
    auto n = bn_param(key, OSSL_PKEY_PARAM_RSA_N);
    if (!e || !n)
      return key_error("cannot read the RSA public key");
    jwk = {{"e", *e}, {"kty", "RSA"}, {"n", *n}};
  } else {
    return key_error("only EC P-256 and RSA keys are supported");
  }
  return jwk;
}

}  // namespace

caf::expected<signing_key> load_signing_key(const std::string& private_pem) {
  bio_ptr bio{BIO_new_mem_buf(private_pem.data(), static_cast<int>(private_pem.size()))};
  std::shared_ptr<EVP_PKEY> key{PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), pkey_deleter{}};
  if (!key)
    return key_error("not a PEM private key");
  auto jwk = public_jwk(key.get());
  if (!jwk)
    return jwk.error();
  auto jws = jws_key::from(key);
  if (!jws)
    return jws.error();
  auto thumbprint = sha256(jwk->dump());
  auto kid = base64url_encode({reinterpret_cast<const char*>(thumbprint.data()), thumbprint.size()});
  (*jwk)["kid"] = kid;
  (*jwk)["alg"] = jws->algorithm();
  (*jwk)["use"] = "sig";
  return signing_key{kid, jws->algorithm(), private_pem, pem_of(key.get(), false), jwk->dump(), std::move(*jws)};
}

caf::expected<ports::signing_key_record> generate_es256_key(std::int64_t now_ms) {
  pkey_ptr key{EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256")};
  if (!key)
    return key_error("OpenSSL could not generate a P-256 key");
  auto loaded = load_signing_key(pem_of(key.get(), true));
  if (!loaded)
    return loaded.error();
  return ports::signing_key_record{loaded->kid, loaded->algorithm, loaded->private_pem, loaded->public_pem, now_ms};
}

caf::expected<std::shared_ptr<signing_keyring>> signing_keyring::from_store(ports::credential_store& store,
                                                                            std::int64_t now_ms,
                                                                            std::chrono::milliseconds rotation,
                                                                            const key_wrap* wrap) {
  auto stored = store.signing_keys();
  if (!stored)
    return stored.error();
  if (stored->empty() || stored->front().created_at_ms <= now_ms - rotation.count()) {
    auto fresh = generate_es256_key(now_ms);
    if (!fresh)
      return fresh.error();
    if (wrap) {
      fresh->private_pem = wrap->seal(fresh->private_pem);
      if (fresh->private_pem.empty())
        return key_error("cannot seal the new signing key");
    }
    // Another node starting at the same moment may win; add_signing_key then
    // keeps its key, and we use that one.
    stored = store.add_signing_key(*fresh, now_ms - rotation.count());
    if (!stored)
      return stored.error();
  }
  std::vector<signing_key> keys;
  for (const auto& record : *stored) {
    std::string pem = record.private_pem;
    if (key_wrap::is_sealed(pem)) {
      if (!wrap)
        return key_error("the signing keys in the store are sealed; start with --key-encryption-key-file");
      auto opened = wrap->open(pem);
      if (!opened)
        return opened.error();
      pem = std::move(*opened);
    }
    auto key = load_signing_key(pem);
    if (!key)
      return key.error();
    keys.push_back(std::move(*key));
  }
  return std::shared_ptr<signing_keyring>(new signing_keyring(std::move(keys)));
}

caf::expected<std::shared_ptr<signing_keyring>> signing_keyring::from_pem_file(const std::filesystem::path& file) {
  std::ifstream in{file};
  if (!in)
    return key_error("cannot read " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  auto key = load_signing_key(text.str());
  if (!key)
    return key.error();
  return std::shared_ptr<signing_keyring>(new signing_keyring({std::move(*key)}));
}

std::string signing_keyring::jwks_json() const {
  auto keys = nlohmann::json::array();
  for (const auto& key : keys_)
    keys.push_back(nlohmann::json::parse(key.jwk_json));
  return nlohmann::json{{"keys", keys}}.dump();
}

}  // namespace taskflow::runtime
