#include "http-edge/pagination/page_cursor.hpp"

#include <cstdint>

#include "http-edge/pagination/cursor_tag.hpp"
#include "messages/ids/uuid.hpp"
#include "messages/task/task_status_names.hpp"
#include "runtime/codec/base64url.hpp"

namespace taskflow::edge {

using runtime::base64url_decode;
using runtime::base64url_encode;
namespace {

constexpr std::uint8_t page_cursor_v1 = 1;
constexpr std::size_t uuid_bytes = 16;
constexpr std::size_t page_payload_bytes = 1 + 8 + uuid_bytes + cursor_tag_bytes;
constexpr std::size_t page_cursor_bytes = page_payload_bytes + cursor_tag_bytes;
constexpr std::string_view page_filter_domain = "taskflow.cursor.filter";
constexpr std::string_view page_checksum_domain = "taskflow.cursor.v1";

int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string uuid_to_bytes(std::string_view id) {
  std::string out;
  for (std::size_t i = 0; i + 1 < id.size(); ++i) {
    if (id[i] == '-')
      continue;
    out += static_cast<char>(hex_digit(id[i]) * 16 + hex_digit(id[i + 1]));
    ++i;
  }
  return out;
}

std::string uuid_from_bytes(std::string_view bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      out += '-';
    auto b = static_cast<std::uint8_t>(bytes[i]);
    out += hex[b >> 4];
    out += hex[b & 0x0F];
  }
  return out;
}

}  // namespace

std::string task_list_filter(const messages::ListTasksQuery& query) {
  std::string filter = "status=";
  if (query.has_status())
    filter += messages::status_name(query.status());
  filter += "&assignee=";
  if (query.has_assignee_id())
    filter += query.assignee_id();
  return filter;
}

std::string encode_page_cursor(const messages::TaskListPosition& after, std::string_view filter) {
  std::string payload;
  payload += static_cast<char>(page_cursor_v1);
  auto ms = static_cast<std::uint64_t>(after.created_at_ms());
  for (int shift = 56; shift >= 0; shift -= 8)
    payload += static_cast<char>((ms >> shift) & 0xFF);
  payload += uuid_to_bytes(after.id());
  payload += cursor_tag(page_filter_domain, filter);
  return base64url_encode(payload + cursor_tag(page_checksum_domain, payload));
}

std::optional<messages::TaskListPosition> decode_page_cursor(std::string_view cursor, std::string_view filter) {
  auto bytes = base64url_decode(cursor);
  if (!bytes || bytes->size() != page_cursor_bytes)
    return std::nullopt;
  std::string_view view{*bytes};
  auto payload = view.substr(0, page_payload_bytes);
  if (view.substr(page_payload_bytes) != cursor_tag(page_checksum_domain, payload) ||
      static_cast<std::uint8_t>(payload[0]) != page_cursor_v1 ||
      payload.substr(1 + 8 + uuid_bytes) != cursor_tag(page_filter_domain, filter))
    return std::nullopt;
  std::uint64_t ms = 0;
  for (std::size_t i = 1; i <= 8; ++i)
    ms = (ms << 8) | static_cast<std::uint8_t>(payload[i]);
  if (ms > static_cast<std::uint64_t>(INT64_MAX))
    return std::nullopt;
  messages::TaskListPosition after;
  after.set_created_at_ms(static_cast<std::int64_t>(ms));
  after.set_id(uuid_from_bytes(payload.substr(1 + 8, uuid_bytes)));
  return after;
}

}  // namespace taskflow::edge
