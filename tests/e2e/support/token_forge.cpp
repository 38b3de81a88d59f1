#include "tests/e2e/support/token_forge.hpp"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>

#include <jwt.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

namespace taskflow::e2e {
namespace {

std::string pem(EVP_PKEY* key, bool private_part) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio{BIO_new(BIO_s_mem()), BIO_free};
  if (private_part)
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  else
    PEM_write_bio_PUBKEY(bio.get(), key);
  char* data = nullptr;
  auto size = BIO_get_mem_data(bio.get(), &data);
  return {data, static_cast<std::size_t>(size)};
}

std::string sign(const nlohmann::json& claims, jwt_alg_t alg, const std::string& key) {
  jwt_t* raw = nullptr;
  jwt_new(&raw);
  std::unique_ptr<jwt_t, decltype(&jwt_free)> jwt{raw, jwt_free};
  jwt_add_grants_json(jwt.get(), claims.dump().c_str());
  jwt_set_alg(jwt.get(), alg, reinterpret_cast<const unsigned char*>(key.data()), static_cast<int>(key.size()));
  char* token = jwt_encode_str(jwt.get());
  if (!token)
    throw std::runtime_error("libjwt could not sign the test token");
  std::string out{token};
  std::free(token);
  return out;
}

}  // namespace

token_forge::token_forge(const std::filesystem::path& dir) : key_file_(dir / "forge-key.pem") {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"),
                                                          EVP_PKEY_free};
  private_pem_ = pem(key.get(), true);
  public_pem_ = pem(key.get(), false);
  std::filesystem::create_directories(dir);
  std::ofstream{key_file_} << private_pem_;
}

std::string token_forge::es256(const nlohmann::json& claims) const {
  return sign(claims, JWT_ALG_ES256, private_pem_);
}

std::string token_forge::hs256_with_public_key(const nlohmann::json& claims) const {
  return sign(claims, JWT_ALG_HS256, public_pem_);
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  auto n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                           reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string base64url_json(const nlohmann::json& value) {
  auto out = base64(value.dump());
  while (!out.empty() && out.back() == '=')
    out.pop_back();
  for (auto& c : out)
    c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

}  // namespace taskflow::e2e
