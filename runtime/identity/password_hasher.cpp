#include "runtime/identity/password_hasher.hpp"

#include <array>
#include <vector>

#include <argon2.h>

#include "runtime/identity/secret_tokens.hpp"

namespace taskflow::runtime {
namespace {

constexpr std::size_t salt_bytes = 16;
constexpr std::size_t digest_bytes = 32;

}  // namespace

std::optional<std::string> password_hasher::hash(std::string_view password) const {
  auto salt = random_bytes(salt_bytes);
  auto length = argon2_encodedlen(params_.time_cost, params_.memory_kib, params_.lanes,
                                  static_cast<std::uint32_t>(salt.size()), digest_bytes, Argon2_id);
  std::vector<char> encoded(length);
  auto rc =
      argon2id_hash_encoded(params_.time_cost, params_.memory_kib, params_.lanes, password.data(), password.size(),
                            salt.data(), salt.size(), digest_bytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK)
    return std::nullopt;
  return std::string{encoded.data()};
}

bool password_hasher::verify(std::string_view password, const std::string& encoded) const {
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace taskflow::runtime
