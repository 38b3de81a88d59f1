// Base64url without padding (RFC 4648 §5), as opaque tokens in URLs and JOSE
// (JWK members, thumbprints) use it.
// Decoding is strict: only the URL alphabet, no padding, no whitespace, and
// no stray bits in the last character, so every token has one spelling.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace taskflow::runtime {

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace taskflow::runtime
