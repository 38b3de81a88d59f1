// Seals the token signing keys the store keeps, under a key-encryption key
// (KEK) the operator gives as a file: whoever reads the store, or a backup of
// it, does not get a key that mints tokens. AES-256-GCM with a fresh 96-bit
// nonce per seal; the KEK is SHA-256 of the file's contents, so any secret of
// 32 bytes or more will do (`openssl rand -base64 48 > kek`). Every node of a
// cluster is given the same file; in the cloud, a KMS-backed secret mounted
// as that file.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include <caf/expected.hpp>

namespace taskflow::runtime {

class key_wrap {
public:
  static caf::expected<key_wrap> from_file(const std::filesystem::path& file);
  static key_wrap from_secret(std::string_view secret);

  // "kw1." then base64url(nonce | ciphertext | tag).
  std::string seal(std::string_view plaintext) const;
  // The plaintext, or an error when the text is not ours or the KEK is wrong.
  caf::expected<std::string> open(std::string_view sealed) const;

  static bool is_sealed(std::string_view text);

private:
  explicit key_wrap(std::array<unsigned char, 32> key) : key_(key) {}
  std::array<unsigned char, 32> key_;
};

}  // namespace taskflow::runtime
