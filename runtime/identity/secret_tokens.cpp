#include "runtime/identity/secret_tokens.hpp"

#include <cstdio>
#include <cstdlib>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "runtime/codec/base64url.hpp"

namespace taskflow::runtime {

std::vector<unsigned char> random_bytes(std::size_t count) {
  std::vector<unsigned char> out(count);
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    std::fputs("taskflow: the system random number generator failed\n", stderr);
    std::abort();
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > 16384)
    return std::nullopt;
  // EVP_DecodeBlock skips whitespace around the text, while the padding is
  // counted below from the text's own last characters: only the alphabet,
  // then at most two '=', keeps the two in step ("YQ==\t\t\t\t" would decode
  // to "a\0\0").
  auto data = text.substr(0, text.find_last_not_of('=') + 1);
  if (text.size() - data.size() > 2 ||
      data.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") !=
          std::string_view::npos)
    return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  auto written = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                 reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (written < 0)
    return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes.
  auto padding = static_cast<std::size_t>(text.back() == '=') + static_cast<std::size_t>(text[text.size() - 2] == '=');
  out.resize(static_cast<std::size_t>(written) - padding);
  return out;
}

std::string random_token(std::size_t bytes) {
  auto raw = random_bytes(bytes);
  return base64url_encode({reinterpret_cast<const char*>(raw.data()), raw.size()});
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // The length of a hash or token is public; its content is not.
  if (a.size() != b.size())
    return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace taskflow::runtime
