#include "runtime/webhooks/webhook_signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <vector>

#include "actors/notification/webhook_registration.hpp"
#include "runtime/identity/secret_tokens.hpp"

namespace taskflow::runtime {
namespace {

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  auto written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                 reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

}  // namespace

std::string new_webhook_secret() {
  auto bytes = random_bytes(32);
  return std::string{notification::secret_prefix} +
         base64(std::string_view{reinterpret_cast<const char*>(bytes.data()), bytes.size()});
}

std::optional<std::string> webhook_secret_key(std::string_view secret) {
  if (!notification::has_secret_prefix(secret))
    return std::nullopt;
  auto key = base64_decode(secret.substr(notification::secret_prefix.size()));
  if (!key || key->size() < notification::min_secret_bytes || key->size() > notification::max_secret_bytes)
    return std::nullopt;
  return key;
}

std::string webhook_signature(std::string_view key, std::string_view webhook_id, std::int64_t timestamp_s,
                              std::string_view body) {
  std::string content;
  content.reserve(webhook_id.size() + body.size() + 24);
  content.append(webhook_id).append(".").append(std::to_string(timestamp_s)).append(".").append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(content.data()),
       content.size(), mac, &length);
  return "v1," + base64(std::string_view{reinterpret_cast<const char*>(mac), length});
}

}  // namespace taskflow::runtime
