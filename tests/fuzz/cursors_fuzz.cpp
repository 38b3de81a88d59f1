// libFuzzer target for the opaque list cursors: the v2 task list's
// (decode_page_cursor) and the admin actor list's (decode_actor_cursor). The
// first byte picks one of four modes:
//   0, 1: the rest is `filter \n cursor` as a client sends it (page, actor);
//   2: 8 bytes of created_at, 16 naming a task id, then a filter (page round trip);
//   3: `type \0 id \0 filter` (actor round trip).
// A cursor decodes only as what its encoder made for that filter, and every
// cursor has one spelling: what decodes encodes back to the very same text.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http-edge/admin/actor_cursor.hpp"
#include "http-edge/pagination/page_cursor.hpp"
#include "messages/ids/uuid.hpp"
#include "tests/fuzz/invariant.hpp"

using taskflow::fuzz::expect;
namespace edge = taskflow::edge;
namespace runtime = taskflow::runtime;

namespace {

// The part of `in` before the first `separator` (all of it if none); the rest
// stays in `in`.
std::string_view take_until(std::string_view& in, char separator) {
  auto end = in.find(separator);
  auto part = in.substr(0, end);
  in = end == std::string_view::npos ? std::string_view{} : in.substr(end + 1);
  return part;
}

void client_page_cursor(std::string_view filter, std::string_view cursor) {
  auto after = edge::decode_page_cursor(cursor, filter);
  if (!after)
    return;
  expect(after->created_at_ms() >= 0 && taskflow::ids::is_uuid(after->id()),
         "a page cursor decodes to a creation time and a task id");
  expect(edge::encode_page_cursor(*after, filter) == cursor, "a page cursor has one spelling");
}

void client_actor_cursor(std::string_view filter, std::string_view cursor) {
  auto after = edge::decode_actor_cursor(cursor, filter);
  if (!after)
    return;
  expect(runtime::is_actor_type(after->type) && !after->id.empty() && after->id.find('\n') == std::string::npos,
         "an actor cursor decodes to a known actor type and an id");
  expect(edge::encode_actor_cursor(*after, filter) == cursor, "an actor cursor has one spelling");
}

void page_round_trip(std::string_view in) {
  if (in.size() < 8 + 16)
    return;
  std::uint64_t ms = 0;
  for (std::size_t i = 0; i < 8; ++i)
    ms = (ms << 8) | static_cast<std::uint8_t>(in[i]);
  taskflow::messages::TaskListPosition after;
  after.set_created_at_ms(static_cast<std::int64_t>(ms));
  // Any task id: a name-based UUID of the next 16 bytes.
  after.set_id(taskflow::ids::uuid_v5("6ba7b811-9dad-11d1-80b4-00c04fd430c8", in.substr(8, 16)));
  auto filter = in.substr(8 + 16);
  auto cursor = edge::encode_page_cursor(after, filter);
  auto back = edge::decode_page_cursor(cursor, filter);
  if (after.created_at_ms() < 0) {
    expect(!back, "a position before 1970 makes no cursor that decodes");
    return;
  }
  expect(back && back->created_at_ms() == after.created_at_ms() && back->id() == after.id(),
         "a page cursor decodes to the position it was made for");
  expect(!edge::decode_page_cursor(cursor, std::string{filter} + "&"), "a page cursor continues only its own filter");
}

void actor_round_trip(std::string_view in) {
  runtime::actor_position after{std::string{take_until(in, '\0')}, std::string{take_until(in, '\0')}};
  auto filter = in;
  auto cursor = edge::encode_actor_cursor(after, filter);
  auto back = edge::decode_actor_cursor(cursor, filter);
  bool valid = runtime::is_actor_type(after.type) && !after.id.empty() && after.id.find('\n') == std::string::npos;
  // 512 characters of cursor hold the 17 bytes of tags and format, the type
  // and its separator, and an id of up to 359 bytes.
  if (valid && cursor.size() <= 512)
    expect(back && *back == after, "an actor cursor decodes to the position it was made for");
  else
    expect(!back || *back == after, "an actor cursor never decodes to another position");
  expect(!edge::decode_actor_cursor(cursor, std::string{filter} + "&"),
         "an actor cursor continues only its own filter");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  std::string_view in{reinterpret_cast<const char*>(data) + 1, size - 1};
  switch (data[0] % 4) {
    case 0: {
      auto filter = take_until(in, '\n');
      client_page_cursor(filter, in);
      break;
    }
    case 1: {
      auto filter = take_until(in, '\n');
      client_actor_cursor(filter, in);
      break;
    }
    case 2:
      page_round_trip(in);
      break;
    default:
      actor_round_trip(in);
  }
  return 0;
}
