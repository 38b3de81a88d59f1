#include "runtime/identity/key_wrap.hpp"

#include <fstream>
#include <memory>
#include <sstream>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <caf/sec.hpp>

#include "runtime/codec/base64url.hpp"
#include "runtime/codec/sha256.hpp"

namespace taskflow::runtime {
namespace {

constexpr std::string_view prefix = "kw1.";
constexpr std::size_t nonce_bytes = 12;
constexpr std::size_t tag_bytes = 16;
constexpr std::size_t min_secret_bytes = 32;

caf::error wrap_error(std::string what) {
  return caf::make_error(caf::sec::runtime_error, std::move(what));
}

using cipher_ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

}  // namespace

caf::expected<key_wrap> key_wrap::from_file(const std::filesystem::path& file) {
  std::ifstream in{file, std::ios::binary};
  if (!in)
    return wrap_error("cannot read the key-encryption key file " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  auto secret = text.str();
  // Files written by `echo` or an editor end in a newline that is not part of the secret.
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r'))
    secret.pop_back();
  if (secret.size() < min_secret_bytes)
    return wrap_error("the key-encryption key file " + file.string() + " holds fewer than 32 bytes");
  return from_secret(secret);
}

key_wrap key_wrap::from_secret(std::string_view secret) {
  auto digest = sha256(secret);
  std::array<unsigned char, 32> key{};
  std::copy(digest.begin(), digest.end(), key.begin());
  return key_wrap{key};
}

bool key_wrap::is_sealed(std::string_view text) {
  return text.substr(0, prefix.size()) == prefix;
}

std::string key_wrap::seal(std::string_view plaintext) const {
  std::string out(nonce_bytes + plaintext.size() + tag_bytes, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  cipher_ctx ctx{EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free};
  int len = 0;
  // Each step fails only when OpenSSL cannot allocate; an empty answer then
  // fails the caller's store write instead of storing a key in clear.
  if (!ctx || RAND_bytes(bytes, nonce_bytes) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), bytes) != 1 ||
      EVP_EncryptUpdate(ctx.get(), bytes + nonce_bytes, &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), bytes + nonce_bytes + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, tag_bytes, bytes + nonce_bytes + plaintext.size()) != 1)
    return {};
  return std::string{prefix} + base64url_encode(out);
}

caf::expected<std::string> key_wrap::open(std::string_view sealed) const {
  if (!is_sealed(sealed))
    return wrap_error("not a sealed key");
  auto raw = base64url_decode(sealed.substr(prefix.size()));
  if (!raw || raw->size() < nonce_bytes + tag_bytes)
    return wrap_error("a sealed key is malformed");
  auto* bytes = reinterpret_cast<unsigned char*>(raw->data());
  auto text_size = raw->size() - nonce_bytes - tag_bytes;
  std::string out(text_size, '\0');
  cipher_ctx ctx{EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free};
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), bytes) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, bytes + nonce_bytes,
                        static_cast<int>(text_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, tag_bytes, bytes + nonce_bytes + text_size) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + len, &len) != 1)
    return wrap_error("cannot open a sealed signing key: the key-encryption key is not the one it was sealed with");
  return out;
}

}  // namespace taskflow::runtime
