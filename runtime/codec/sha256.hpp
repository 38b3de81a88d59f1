// SHA-256 (OpenSSL): plain, for stored secret hashes and key thumbprints, and
// framed for the edge's fingerprints and checksums, where several fields must
// stay apart: hashing ("ab", "c") and ("a", "bc") must
// not collide, so every part is prefixed with its length.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace taskflow::runtime {

using sha256_digest = std::array<std::uint8_t, 32>;

sha256_digest sha256(std::string_view data);

// The digest of the parts, each framed by its length.
sha256_digest sha256_of_parts(std::initializer_list<std::string_view> parts);

std::string to_hex(const sha256_digest& digest);

// Lower-case hex of the plain digest: how refresh tokens, API keys and client
// secrets are stored.
std::string sha256_hex(std::string_view data);

}  // namespace taskflow::runtime
