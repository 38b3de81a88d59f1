// Argon2id password hashing (libargon2). Parameters follow the OWASP Password
// Storage Cheat Sheet's first Argon2id option: 19 MiB of memory, 2 passes,
// one lane — about 25 ms per hash on one 2020s server core, which is slow for
// an offline guesser and cheap enough for a login. The encoded form carries
// its own parameters, so raising them later still verifies old hashes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace taskflow::runtime {

struct argon2_parameters {
  std::uint32_t time_cost = 2;
  std::uint32_t memory_kib = 19 * 1024;
  std::uint32_t lanes = 1;
};

class password_hasher {
public:
  explicit password_hasher(argon2_parameters params = {}) : params_(params) {}

  // The PHC-encoded hash ("$argon2id$v=19$m=...") with a fresh random salt;
  // nullopt only when the library fails (out of memory).
  std::optional<std::string> hash(std::string_view password) const;

  // Constant-time in the password (libargon2 compares digests with a
  // constant-time loop). False for a malformed hash.
  bool verify(std::string_view password, const std::string& encoded) const;

private:
  argon2_parameters params_;
};

}  // namespace taskflow::runtime
