#include "http-edge/admin/actor_cursor.hpp"

#include "runtime/codec/base64url.hpp"
#include "runtime/codec/sha256.hpp"

namespace taskflow::edge {
namespace {

constexpr char format_v1 = 'a';
constexpr char separator = '\n';
constexpr std::size_t tag_bytes = 8;

std::string first_bytes(const runtime::sha256_digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), tag_bytes};
}

std::string filter_tag(std::string_view filter) {
  return first_bytes(runtime::sha256_of_parts({"taskflow.actor_cursor.filter", filter}));
}

std::string checksum(std::string_view payload) {
  return first_bytes(runtime::sha256_of_parts({"taskflow.actor_cursor.v1", payload}));
}

}  // namespace

std::string encode_actor_cursor(const runtime::actor_position& after, std::string_view filter) {
  std::string payload;
  payload += format_v1;
  payload += filter_tag(filter);
  payload += after.type;
  payload += separator;
  payload += after.id;
  return runtime::base64url_encode(payload + checksum(payload));
}

std::optional<runtime::actor_position> decode_actor_cursor(std::string_view cursor, std::string_view filter) {
  // Anything longer than a type, a separator and a long id is not ours.
  if (cursor.empty() || cursor.size() > 512)
    return std::nullopt;
  auto bytes = runtime::base64url_decode(cursor);
  if (!bytes || bytes->size() < 1 + 2 * tag_bytes + 1 || runtime::base64url_encode(*bytes) != cursor)
    return std::nullopt;
  auto payload = std::string_view{*bytes}.substr(0, bytes->size() - tag_bytes);
  if (checksum(payload) != bytes->substr(bytes->size() - tag_bytes) || payload[0] != format_v1 ||
      payload.substr(1, tag_bytes) != filter_tag(filter))
    return std::nullopt;
  auto rest = payload.substr(1 + tag_bytes);
  auto split = rest.find(separator);
  if (split == std::string_view::npos || split == 0 || split + 1 == rest.size())
    return std::nullopt;
  auto type = rest.substr(0, split);
  auto id = rest.substr(split + 1);
  if (!runtime::is_actor_type(type) || id.find(separator) != std::string_view::npos)
    return std::nullopt;
  return runtime::actor_position{std::string{type}, std::string{id}};
}

}  // namespace taskflow::edge
