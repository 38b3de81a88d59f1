// libFuzzer target for base64_decode, which reads the HTTP Basic credentials
// an OAuth2 client may send to /oauth/token (RFC 6749 §2.3.1). The first byte
// picks how the rest is used:
//   even: as the text after "Basic ";
//   odd: as credentials a client encodes with standard base64 (padded).
// Decoding never makes more than three bytes of four characters, and what a
// client encodes decodes to exactly what it encoded.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <openssl/evp.h>

#include "runtime/identity/secret_tokens.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;

namespace {

// The longest Basic text base64_decode reads.
constexpr std::size_t max_text = 16384;

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  auto written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                 reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

void client_text(std::string_view text) {
  auto decoded = taskflow::runtime::base64_decode(text);
  if (!decoded)
    return;
  expect(!text.empty() && text.size() % 4 == 0 && text.size() <= max_text, "only whole base64 quads are decoded");
  expect(decoded->size() <= text.size() / 4 * 3, "four characters decode to at most three bytes");
  auto again = taskflow::runtime::base64_decode(base64(*decoded));
  expect(again && *again == *decoded, "decoded credentials, encoded again, decode to the same bytes");
}

void client_credentials(std::string_view credentials) {
  auto text = base64(credentials);
  auto decoded = taskflow::runtime::base64_decode(text);
  if (credentials.empty() || text.size() > max_text)
    return;
  expect(decoded && *decoded == credentials, "what a client encodes decodes to exactly what it encoded");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  std::string_view rest{reinterpret_cast<const char*>(data) + 1, size - 1};
  if (data[0] % 2 == 0)
    client_text(rest);
  else
    client_credentials(rest);
  return 0;
}
