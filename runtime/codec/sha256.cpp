#include "runtime/codec/sha256.hpp"

#include <memory>
#include <stdexcept>

#include <openssl/evp.h>

namespace taskflow::runtime {

sha256_digest sha256(std::string_view data) {
  sha256_digest digest{};
  unsigned int written = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &written, EVP_sha256(), nullptr);
  return digest;
}

sha256_digest sha256_of_parts(std::initializer_list<std::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
  // Only allocation can fail here; that is not an input error to hand back.
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 is unavailable");
  for (auto part : parts) {
    std::uint8_t length[8];
    auto size = static_cast<std::uint64_t>(part.size());
    for (int i = 7; i >= 0; --i, size >>= 8)
      length[i] = static_cast<std::uint8_t>(size & 0xFF);
    EVP_DigestUpdate(ctx.get(), length, sizeof length);
    EVP_DigestUpdate(ctx.get(), part.data(), part.size());
  }
  sha256_digest digest{};
  unsigned int written = 0;
  EVP_DigestFinal_ex(ctx.get(), digest.data(), &written);
  return digest;
}

std::string to_hex(const sha256_digest& digest) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(digest.size() * 2);
  for (auto byte : digest) {
    out += hex[byte >> 4];
    out += hex[byte & 0x0F];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  return to_hex(sha256(data));
}

}  // namespace taskflow::runtime
