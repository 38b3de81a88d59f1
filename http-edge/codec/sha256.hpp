// SHA-256 (OpenSSL) for the edge's fingerprints and checksums, and a framing
// that keeps several fields apart: hashing ("ab", "c") and ("a", "bc") must
// not collide, so every part is prefixed with its length.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace taskflow::edge {

using sha256_digest = std::array<std::uint8_t, 32>;

// The digest of the parts, each framed by its length.
sha256_digest sha256_of_parts(std::initializer_list<std::string_view> parts);

std::string to_hex(const sha256_digest& digest);

}  // namespace taskflow::edge
