// Random secrets and their at-rest form. Refresh tokens, API keys and client
// secrets carry 256 random bits, so one SHA-256 is the right hash for them:
// a slow password hash adds nothing against guessing 2^256 values and would
// make every API-key request cost a full Argon2 run (runtime/codec/sha256.hpp
// has the hash).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace taskflow::runtime {

// From OpenSSL's CSPRNG; aborts the process if it cannot be seeded, because
// handing out predictable tokens is worse than not starting.
std::vector<unsigned char> random_bytes(std::size_t count);

// Standard base64 (RFC 4648 §4, padded), as in HTTP Basic credentials;
// nullopt when the text is not valid base64.
std::optional<std::string> base64_decode(std::string_view text);

// `bytes` random bytes as base64url.
std::string random_token(std::size_t bytes = 32);

// Compares without an early exit, so timing does not reveal how much matched.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace taskflow::runtime
