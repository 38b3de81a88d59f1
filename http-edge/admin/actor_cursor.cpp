#include "http-edge/admin/actor_cursor.hpp"

#include "http-edge/pagination/cursor_tag.hpp"
#include "runtime/codec/base64url.hpp"

namespace taskflow::edge {
namespace {

constexpr char actor_cursor_v1 = 'a';
constexpr char separator = '\n';
constexpr std::string_view actor_filter_domain = "taskflow.actor_cursor.filter";
constexpr std::string_view actor_checksum_domain = "taskflow.actor_cursor.v1";

}  // namespace

std::string encode_actor_cursor(const runtime::actor_position& after, std::string_view filter) {
  std::string payload;
  payload += actor_cursor_v1;
  payload += cursor_tag(actor_filter_domain, filter);
  payload += after.type;
  payload += separator;
  payload += after.id;
  return runtime::base64url_encode(payload + cursor_tag(actor_checksum_domain, payload));
}

std::optional<runtime::actor_position> decode_actor_cursor(std::string_view cursor, std::string_view filter) {
  // Anything longer than a type, a separator and a long id is not ours.
  if (cursor.empty() || cursor.size() > 512)
    return std::nullopt;
  auto bytes = runtime::base64url_decode(cursor);
  if (!bytes || bytes->size() < 1 + 2 * cursor_tag_bytes + 1 || runtime::base64url_encode(*bytes) != cursor)
    return std::nullopt;
  auto payload = std::string_view{*bytes}.substr(0, bytes->size() - cursor_tag_bytes);
  if (cursor_tag(actor_checksum_domain, payload) != bytes->substr(bytes->size() - cursor_tag_bytes) ||
      payload[0] != actor_cursor_v1 || payload.substr(1, cursor_tag_bytes) != cursor_tag(actor_filter_domain, filter))
    return std::nullopt;
  auto rest = payload.substr(1 + cursor_tag_bytes);
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
