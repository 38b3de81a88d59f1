// Opaque list cursors: they round-trip, belong to one filter, and every edit
// (a changed, missing or extra character) is refused rather than paging from
// somewhere else.
#include <catch2/catch.hpp>

#include <string>

#include "http-edge/pagination/page_cursor.hpp"

using namespace taskflow;
using namespace taskflow::edge;

namespace {

messages::TaskListPosition position(std::int64_t ms, std::string id) {
  messages::TaskListPosition p;
  p.set_created_at_ms(ms);
  p.set_id(std::move(id));
  return p;
}

const std::string filter = "status=todo&assignee=";

}  // namespace

TEST_CASE("a cursor decodes to the position it was made from", "[page_cursor]") {
  auto at = position(1'767'225'600'123, "01a20f1d-e9b0-73d9-98cf-6ca4369ab622");
  auto cursor = encode_page_cursor(at, filter);
  CHECK(cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
        std::string::npos);
  auto back = decode_page_cursor(cursor, filter);
  REQUIRE(back);
  CHECK(back->created_at_ms() == at.created_at_ms());
  CHECK(back->id() == at.id());
}

TEST_CASE("a cursor only continues the list it came from", "[page_cursor]") {
  auto cursor = encode_page_cursor(position(5, "01a20f1d-e9b0-73d9-98cf-6ca4369ab622"), filter);
  CHECK_FALSE(decode_page_cursor(cursor, "status=done&assignee="));
  CHECK_FALSE(decode_page_cursor(cursor, "status=&assignee="));
}

TEST_CASE("every one-character edit of a cursor is refused", "[page_cursor]") {
  auto cursor = encode_page_cursor(position(1'767'225'600'123, "01a20f1d-e9b0-73d9-98cf-6ca4369ab622"), filter);
  for (std::size_t i = 0; i < cursor.size(); ++i) {
    for (char c : {'A', 'z', '0', '-', '_'}) {
      if (cursor[i] == c)
        continue;
      auto edited = cursor;
      edited[i] = c;
      CHECK_FALSE(decode_page_cursor(edited, filter));
    }
    auto shorter = cursor;
    shorter.erase(i, 1);
    CHECK_FALSE(decode_page_cursor(shorter, filter));
  }
  CHECK_FALSE(decode_page_cursor(cursor + "A", filter));
  CHECK_FALSE(decode_page_cursor(cursor + "=", filter));
  CHECK_FALSE(decode_page_cursor("", filter));
  CHECK_FALSE(decode_page_cursor("not a cursor", filter));
}
